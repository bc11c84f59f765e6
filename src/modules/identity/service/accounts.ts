import { eq, sql } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import type { z } from "zod";
import { users } from "../../../db/schema";
import { enqueue } from "../../../jobs/enqueue";
import { requireAdmin, requireUser } from "../../../lib/access";
import type { Ctx } from "../../../lib/context";
import { AppError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { inTransaction, whenCommitted } from "../../../lib/transaction";
import { sendAccountEmailJob } from "../jobs";
import { assertStrongPassword, burnVerification, hashPassword, verifyPassword } from "../passwords";
import { forgetProfile, knownProfile, profileColumns, toMe } from "../profile";
import {
  ChangePasswordInput,
  CreateAccountInput,
  DeleteMeInput,
  type Me,
  RegisterInput,
  type SessionResult,
  SignInInput,
  UpdateMeInput,
} from "../schemas";
import { createSession, revokeAllSessions, revokeOtherSessions, revokeSession } from "../sessions";
import { userChanged } from "../versions";

type UserRow = typeof users.$inferSelect;

const ip = (ctx: Ctx) => ctx.ip ?? "unknown";

/** Creates a customer account, signs it in, and sends the verification email (a job in the same transaction). */
export async function register(ctx: Ctx, raw: z.input<typeof RegisterInput>): Promise<SessionResult> {
  const input = RegisterInput.parse(raw);
  await ctx.limiter.consume({ key: `register:ip:${ip(ctx)}`, max: 20, windowSeconds: 3600 });
  assertStrongPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async (tx) => {
    // A taken email surfaces as CONFLICT naming `email` (lib/errors.ts).
    const [user] = await tx.db
      .insert(users)
      .values({ id: newId(), email: input.email, name: input.name, passwordHash })
      .returning();
    const created = user as UserRow;
    await enqueue(tx, sendAccountEmailJob, { userId: created.id, purpose: "verify_email" });
    const session = await createSession(tx, created.id);
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: toMe(created) };
  });
}

/** An account with a role, made by an admin or the system (seed, tests); no email is sent. */
export async function createAccount(ctx: Ctx, raw: z.input<typeof CreateAccountInput>): Promise<Me> {
  requireAdmin(ctx.actor);
  const input = CreateAccountInput.parse(raw);
  assertStrongPassword(input.password);
  const [user] = await ctx.db
    .insert(users)
    .values({
      id: newId(),
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      emailVerifiedAt: input.emailVerified ? new Date() : null,
    })
    .returning();
  return toMe(user as UserRow);
}

const invalidCredentials = () => new AppError("UNAUTHENTICATED", "Email or password is incorrect");

/**
 * Signs in with email and password. Unknown email, wrong password and disabled
 * account answer alike and take about as long (domain.md "Identity").
 */
export async function signIn(ctx: Ctx, raw: z.input<typeof SignInInput>): Promise<SessionResult> {
  const input = SignInInput.parse(raw);
  await ctx.limiter.consume(
    { key: `sign-in:pair:${input.email}:${ip(ctx)}`, max: 5, windowSeconds: 15 * 60 },
    { key: `sign-in:ip:${ip(ctx)}`, max: 100, windowSeconds: 3600 },
  );
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email));
  if (!user) {
    await burnVerification(input.password);
    throw invalidCredentials();
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  if (!ok || user.disabledAt) throw invalidCredentials();
  const session = await createSession(ctx, user.id);
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: toMe(user) };
}

/** Ends the session the request came with. */
export async function signOut(ctx: Ctx): Promise<void> {
  requireUser(ctx.actor);
  if (ctx.actor.kind === "user") await revokeSession(ctx, ctx.actor);
}

/** Ends every session of the signed-in user, on every device. */
export async function signOutEverywhere(ctx: Ctx): Promise<void> {
  await revokeAllSessions(ctx, requireUser(ctx.actor));
}

/** The caller's own row, the columns asked for: a session whose account is gone is UNAUTHENTICATED. */
async function loadSelf<C extends SelectedFields>(ctx: Ctx, columns: C) {
  const [user] = await ctx.db
    .select(columns)
    .from(users)
    .where(eq(users.id, requireUser(ctx.actor)));
  if (!user) throw new AppError("UNAUTHENTICATED", "This account no longer exists");
  return user;
}

/** The caller, once `password` (the input's `field`) is checked again, a few tries per account. */
async function confirmPassword(ctx: Ctx, password: string, field: string, wrong: string) {
  const user = await loadSelf(ctx, { id: users.id, passwordHash: users.passwordHash });
  await ctx.limiter.consume({ key: `password:user:${user.id}`, max: 5, windowSeconds: 15 * 60 });
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new AppError("VALIDATION_FAILED", wrong, { errors: [{ path: field, message: "Incorrect" }] });
  }
  return user;
}

/** The caller's profile: as authentication read it for this request when it did, else from the database. */
export async function getMe(ctx: Ctx): Promise<Me> {
  return knownProfile(ctx.actor) ?? toMe(await loadSelf(ctx, profileColumns));
}

/** Updates the caller's own profile; the schema admits only what a customer may change. */
export async function updateMe(ctx: Ctx, raw: z.input<typeof UpdateMeInput>): Promise<Me> {
  const input = UpdateMeInput.parse(raw);
  const [user] = await ctx.db
    .update(users)
    .set({ ...input, updatedAt: sql`now()` })
    .where(eq(users.id, requireUser(ctx.actor)))
    .returning(profileColumns);
  if (!user) throw new AppError("UNAUTHENTICATED", "This account no longer exists");
  forgetProfile(ctx.actor);
  await whenCommitted(ctx, () => userChanged(ctx, user.id));
  return toMe(user);
}

/** Changes the password; every other session of the account is revoked. */
export async function changePassword(ctx: Ctx, raw: z.input<typeof ChangePasswordInput>): Promise<void> {
  const input = ChangePasswordInput.parse(raw);
  const user = await confirmPassword(
    ctx,
    input.currentPassword,
    "currentPassword",
    "The current password is incorrect",
  );
  assertStrongPassword(input.newPassword, "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(ctx, async (tx) => {
    await tx.db.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, user.id));
    if (ctx.actor.kind === "user") await revokeOtherSessions(tx, user.id, ctx.actor.sessionId);
  });
}

/** Deletes the caller's account (and, by cascade, its sessions and addresses) after re-checking the password. */
export async function deleteMe(ctx: Ctx, raw: z.input<typeof DeleteMeInput>): Promise<void> {
  const input = DeleteMeInput.parse(raw);
  const user = await confirmPassword(ctx, input.password, "password", "The password is incorrect");
  await ctx.db.delete(users).where(eq(users.id, user.id));
  await whenCommitted(ctx, () => userChanged(ctx, user.id));
}
