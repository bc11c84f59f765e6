import { z } from "@hono/zod-openapi";
import { SCOPES } from "../../lib/access";
import { Line, Text } from "../../lib/text";

export const Email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase())
  .openapi({ example: "ada@example.com" });

/** Length bounds only; the service also refuses the most common passwords. */
export const Password = Text.min(10, "At least 10 characters").max(128, "At most 128 characters");

/** A password to check against the stored hash: any length a Password may have had. */
const GivenPassword = Text.min(1).max(128);

/** A token from an account email. */
const EmailToken = Text.min(16).max(128);

/** How an account's owner is greeted and listed. */
const DisplayName = Line.min(1).max(200);

export const Role = z.enum(["customer", "staff", "admin"]).openapi("Role");

export const Me = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: Role,
    emailVerified: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .openapi("Me");
export type Me = z.infer<typeof Me>;

export const RegisterInput = z
  .strictObject({ email: Email, password: Password, name: DisplayName })
  .openapi("RegisterInput");

/** Accounts made by an admin or the seed, with a role; verified unless told otherwise. */
export const CreateAccountInput = RegisterInput.extend({
  role: Role.default("customer"),
  emailVerified: z.boolean().default(true),
}).openapi("CreateAccountInput");

export const SignInInput = z.strictObject({ email: Email, password: GivenPassword }).openapi("SignInInput");

export const SessionResult = z
  .object({
    token: z
      .string()
      .openapi({ description: "Send as `Authorization: Bearer <token>`; also set as the `session` cookie" }),
    expiresAt: z.iso.datetime(),
    user: Me,
  })
  .openapi("Session");
export type SessionResult = z.infer<typeof SessionResult>;

export const UpdateMeInput = z.strictObject({ name: DisplayName }).openapi("UpdateMeInput");

export const ChangePasswordInput = z
  .strictObject({ currentPassword: GivenPassword, newPassword: Password })
  .openapi("ChangePasswordInput");

export const DeleteMeInput = z.strictObject({ password: GivenPassword }).openapi("DeleteMeInput");

export const VerifyEmailInput = z.strictObject({ token: EmailToken }).openapi("VerifyEmailInput");

export const PasswordResetInput = z.strictObject({ email: Email }).openapi("PasswordResetInput");

export const PasswordResetConfirmInput = z
  .strictObject({ token: EmailToken, password: Password })
  .openapi("PasswordResetConfirmInput");

export const Accepted = z.object({ accepted: z.literal(true) }).openapi("Accepted");

export const ScopeSchema = z.enum(SCOPES).openapi("Scope");

/** What a job needs to send an account email; the token is made by the job, never stored raw. */
export const AccountEmailPayload = z.object({
  userId: z.uuid(),
  purpose: z.enum(["verify_email", "reset_password"]),
});
