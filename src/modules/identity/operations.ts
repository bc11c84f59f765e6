import { anyone, mutation, query, signedIn } from "../../lib/operation";
import {
  Accepted,
  ChangePasswordInput,
  DeleteMeInput,
  Me,
  PasswordResetConfirmInput,
  PasswordResetInput,
  RegisterRequest,
  Session,
  SignInRequest,
  UpdateMeInput,
  VerifyEmailInput,
} from "./schemas";
import * as identity from "./service";

const SIGNED_IN = 'Signed in: the `session` cookie is set, or with `"session": "bearer"` the body carries the token';

export const register = mutation({
  input: RegisterRequest,
  output: Session,
  access: anyone,
  session: "set",
  rest: {
    method: "post",
    path: "/auth/register",
    status: 201,
    operationId: "register",
    tag: "Auth",
    summary: "Create a customer account and sign in",
    responds: SIGNED_IN,
    errors: [409, 429],
  },
  // The transport is the session effect's business (deliverSession), not the service's.
  run: (ctx, { session: _, ...input }) => identity.register(ctx, input),
});

export const signIn = mutation({
  input: SignInRequest,
  output: Session,
  access: anyone,
  session: "set",
  rest: {
    method: "post",
    path: "/auth/sessions",
    status: 201,
    operationId: "signIn",
    tag: "Auth",
    summary: "Sign in with email and password",
    description: "Unknown email and wrong password answer alike. Limited per email and IP, and per IP.",
    responds: SIGNED_IN,
    errors: [401, 429],
  },
  run: (ctx, { session: _, ...input }) => identity.signIn(ctx, input),
});

export const signOut = mutation({
  input: undefined,
  output: undefined,
  access: signedIn,
  session: "clear",
  rest: {
    method: "delete",
    path: "/auth/sessions/current",
    status: 204,
    operationId: "signOut",
    tag: "Auth",
    summary: "Sign out this session",
    responds: "Signed out",
  },
  run: (ctx) => identity.signOut(ctx),
});

export const signOutEverywhere = mutation({
  input: undefined,
  output: undefined,
  access: signedIn,
  session: "clear",
  rest: {
    method: "delete",
    path: "/auth/sessions",
    status: 204,
    operationId: "signOutEverywhere",
    tag: "Auth",
    summary: "Sign out every session of this account",
    responds: "Every session ended",
  },
  run: (ctx) => identity.signOutEverywhere(ctx),
});

export const verifyEmail = mutation({
  input: VerifyEmailInput,
  output: undefined,
  access: anyone,
  rest: {
    method: "post",
    path: "/auth/verify-email",
    status: 204,
    operationId: "verifyEmail",
    tag: "Auth",
    summary: "Confirm an email address with the token from the verification email",
    responds: "Verified",
  },
  run: (ctx, input) => identity.verifyEmail(ctx, input),
});

export const requestPasswordReset = mutation({
  input: PasswordResetInput,
  output: Accepted,
  access: anyone,
  rest: {
    method: "post",
    path: "/auth/password-reset",
    status: 202,
    operationId: "requestPasswordReset",
    tag: "Auth",
    summary: "Email a password reset link",
    description: "Answers the same whether or not the email has an account.",
    responds: "If the account exists, a link is on its way",
    errors: [429],
  },
  run: async (ctx, input) => {
    await identity.requestPasswordReset(ctx, input);
    return { accepted: true as const };
  },
});

export const confirmPasswordReset = mutation({
  input: PasswordResetConfirmInput,
  output: undefined,
  access: anyone,
  rest: {
    method: "post",
    path: "/auth/password-reset/confirm",
    status: 204,
    operationId: "confirmPasswordReset",
    tag: "Auth",
    summary: "Set a new password with the token from the reset email; signs out every session",
    responds: "Password changed",
  },
  run: (ctx, input) => identity.confirmPasswordReset(ctx, input),
});

export const getMe = query({
  input: undefined,
  output: Me,
  access: signedIn,
  rest: {
    method: "get",
    path: "/me",
    status: 200,
    operationId: "getMe",
    tag: "Me",
    summary: "The signed-in account",
    responds: "The account",
  },
  run: (ctx) => identity.getMe(ctx),
});

export const updateMe = mutation({
  input: UpdateMeInput,
  output: Me,
  access: signedIn,
  rest: {
    method: "patch",
    path: "/me",
    status: 200,
    operationId: "updateMe",
    tag: "Me",
    summary: "Update the signed-in account's profile",
    responds: "The updated account",
  },
  run: (ctx, input) => identity.updateMe(ctx, input),
});

export const deleteMe = mutation({
  input: DeleteMeInput,
  output: undefined,
  access: signedIn,
  session: "clear",
  rest: {
    method: "delete",
    path: "/me",
    status: 204,
    operationId: "deleteMe",
    tag: "Me",
    summary: "Delete the signed-in account (the password confirms it)",
    responds: "Deleted",
    errors: [429],
  },
  run: (ctx, input) => identity.deleteMe(ctx, input),
});

export const changePassword = mutation({
  input: ChangePasswordInput,
  output: undefined,
  access: signedIn,
  rest: {
    method: "post",
    path: "/me/password",
    status: 204,
    operationId: "changePassword",
    tag: "Me",
    summary: "Change the password; other sessions are signed out",
    responds: "Changed",
    errors: [429],
  },
  run: (ctx, input) => identity.changePassword(ctx, input),
});
