import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { emailTokens, users } from "../../../db/schema";
import { enqueue } from "../../../jobs/enqueue";
import type { Ctx } from "../../../lib/context";
import { AppError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { hashToken, randomToken } from "../../../lib/tokens";
import { inTransaction, type TxCtx } from "../../../lib/transaction";
import { sendAccountEmailJob } from "../jobs";
import { assertStrongPassword, hashPassword } from "../passwords";
import { PasswordResetConfirmInput, PasswordResetInput, VerifyEmailInput } from "../schemas";
import { purgeExpiredSessions, revokeAllSessions } from "../sessions";
import { userChanged } from "../versions";

type Purpose = "verify_email" | "reset_password";
const LIFETIME_HOURS: Record<Purpose, number> = { verify_email: 24, reset_password: 1 };

/**
 * A new single-use token for `purpose`, returned raw once and stored hashed.
 * Older unused tokens of the same purpose stop working (in the same transaction),
 * so a job that runs twice leaves the user with exactly one valid link. Trusts its
 * caller: it checks no actor (README "Transactions and calls across modules").
 */
export async function issueEmailTokenInTx(tx: TxCtx, userId: string, purpose: Purpose): Promise<string> {
  const token = randomToken();
  await tx.db
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
  await tx.db.insert(emailTokens).values({
    id: newId(),
    userId,
    purpose,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(hours => ${LIFETIME_HOURS[purpose]})`,
  });
  return token;
}

const badToken = () =>
  new AppError("VALIDATION_FAILED", "This link is invalid or has expired", {
    errors: [{ path: "token", message: "Invalid, used or expired" }],
  });

/** Spends a token: the conditional update lets exactly one of two racing uses win. */
async function consumeToken(tx: TxCtx, token: string, purpose: Purpose): Promise<string> {
  const [row] = await tx.db
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(emailTokens.tokenHash, hashToken(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: emailTokens.userId });
  if (!row) throw badToken();
  return row.userId;
}

/** Marks the email verified with the token from the verification email. */
export async function verifyEmail(ctx: Ctx, raw: z.input<typeof VerifyEmailInput>): Promise<void> {
  const { token } = VerifyEmailInput.parse(raw);
  await inTransaction(ctx, async (tx) => {
    const userId = await consumeToken(tx, token, "verify_email");
    await tx.db
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, userId));
    tx.afterCommit(() => userChanged(tx, userId));
  });
}

/** Sends a reset link when the account exists; answers the same either way. */
export async function requestPasswordReset(ctx: Ctx, raw: z.input<typeof PasswordResetInput>): Promise<void> {
  const { email } = PasswordResetInput.parse(raw);
  await ctx.limiter.consume(
    { key: `reset:pair:${email}:${ctx.ip ?? "unknown"}`, max: 5, windowSeconds: 15 * 60 },
    { key: `reset:ip:${ctx.ip ?? "unknown"}`, max: 30, windowSeconds: 3600 },
  );
  await inTransaction(ctx, async (tx) => {
    const [user] = await tx.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, email), isNull(users.disabledAt)));
    if (user) await enqueue(tx, sendAccountEmailJob, { userId: user.id, purpose: "reset_password" });
  });
}

/** Sets a new password with the token from the reset email, and signs the account out everywhere. */
export async function confirmPasswordReset(ctx: Ctx, raw: z.input<typeof PasswordResetConfirmInput>): Promise<void> {
  const input = PasswordResetConfirmInput.parse(raw);
  assertStrongPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  await inTransaction(ctx, async (tx) => {
    const userId = await consumeToken(tx, input.token, "reset_password");
    await tx.db.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, userId));
    await revokeAllSessions(tx, userId);
  });
}

/** Expired sessions, and email tokens a day past their expiry (crontab). */
export async function purgeExpired(ctx: Ctx): Promise<void> {
  await purgeExpiredSessions(ctx);
  await ctx.db.delete(emailTokens).where(sql`${emailTokens.expiresAt} < now() - interval '1 day'`);
}
