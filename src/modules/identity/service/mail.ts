import { eq } from "drizzle-orm";
import { users } from "../../../db/schema";
import type { Ctx } from "../../../lib/context";
import type { Mail } from "../../../lib/mailer";
import { inTransaction } from "../../../lib/transaction";
import { issueEmailTokenInTx } from "./email-tokens";

/** The verification or reset email for a user, with a fresh token; null when the account is gone or disabled. */
export async function prepareAccountEmail(
  ctx: Ctx,
  userId: string,
  purpose: "verify_email" | "reset_password",
  storefrontUrl: string,
): Promise<Mail | null> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user || user.disabledAt) return null;
  if (purpose === "verify_email" && user.emailVerifiedAt) return null;
  const token = await inTransaction(ctx, (tx) => issueEmailTokenInTx(tx, userId, purpose));
  const base = storefrontUrl.replace(/\/+$/, "");
  if (purpose === "verify_email") {
    const link = `${base}/verify-email?token=${token}`;
    return {
      to: user.email,
      subject: "Confirm your email address",
      text: `Hello ${user.name},\n\nConfirm your email address by opening this link (valid for 24 hours):\n\n${link}\n\nIf you did not create an account, ignore this email.\n`,
    };
  }
  const link = `${base}/reset-password?token=${token}`;
  return {
    to: user.email,
    subject: "Reset your password",
    text: `Hello ${user.name},\n\nSet a new password by opening this link (valid for 1 hour):\n\n${link}\n\nIf you did not ask for this, ignore this email: your password stays as it is.\n`,
  };
}
