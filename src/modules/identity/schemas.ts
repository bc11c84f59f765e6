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

/** What sign-in and registration issue; the token is delivered as the client asked (SessionTransport). */
export const SessionResult = z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: Me });
export type SessionResult = z.infer<typeof SessionResult>;

/**
 * How a client holds its session, chosen when it signs in or registers: "cookie" (the default, for
 * browsers) sets the HttpOnly `session` cookie and leaves the token out of the body, where script
 * could read it; "bearer" (mobile apps, servers) answers the token and sets no cookie.
 */
export const SessionTransport = z.enum(["cookie", "bearer"]).default("cookie").openapi({
  description:
    "`cookie` (default): the HttpOnly `session` cookie, no token in the body. `bearer`: `token` in the body, for `Authorization: Bearer <token>`; no cookie",
});
export type SessionTransport = z.output<typeof SessionTransport>;

export const RegisterRequest = RegisterInput.extend({ session: SessionTransport }).openapi("RegisterRequest");
export const SignInRequest = SignInInput.extend({ session: SessionTransport }).openapi("SignInRequest");

/** A session as sign-in and registration answer it: the token only when the client asked for a bearer session. */
export const Session = SessionResult.extend({
  token: z
    .string()
    .optional()
    .openapi({ description: 'Only with `"session": "bearer"`: send as `Authorization: Bearer <token>`' }),
}).openapi("Session");

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
