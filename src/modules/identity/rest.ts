import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { secureCookies } from "../../http/request-context";
import type { RestApp, RestEnv } from "../../rest/env";
import { forSignedIn } from "../../rest/guards";
import { jsonBody, jsonResponse, problemResponses } from "../../rest/openapi";
import {
  Accepted,
  ChangePasswordInput,
  DeleteMeInput,
  Me,
  PasswordResetConfirmInput,
  PasswordResetInput,
  RegisterInput,
  SessionResult,
  SignInInput,
  UpdateMeInput,
  VerifyEmailInput,
} from "./schemas";
import * as identity from "./service";
import { blankSessionCookie, sessionCookie } from "./sessions";

const noContent = (description: string) => ({ 204: { description } });

const register = createRoute({
  method: "post",
  path: "/auth/register",
  operationId: "register",
  tags: ["Auth"],
  summary: "Create a customer account and sign in",
  request: { body: jsonBody(RegisterInput) },
  responses: {
    201: jsonResponse(SessionResult, "Signed in; the token is also set as the `session` cookie"),
    ...problemResponses(400, 409, 429),
  },
});

const signIn = createRoute({
  method: "post",
  path: "/auth/sessions",
  operationId: "signIn",
  tags: ["Auth"],
  summary: "Sign in with email and password",
  description: "Unknown email and wrong password answer alike. Limited per email and IP, and per IP.",
  request: { body: jsonBody(SignInInput) },
  responses: {
    201: jsonResponse(SessionResult, "Signed in; the token is also set as the `session` cookie"),
    ...problemResponses(400, 401, 429),
  },
});

const signOut = createRoute({
  method: "delete",
  path: "/auth/sessions/current",
  operationId: "signOut",
  tags: ["Auth"],
  summary: "Sign out this session",
  ...forSignedIn,
  responses: { ...noContent("Signed out"), ...problemResponses(401, 403) },
});

const signOutEverywhere = createRoute({
  method: "delete",
  path: "/auth/sessions",
  operationId: "signOutEverywhere",
  tags: ["Auth"],
  summary: "Sign out every session of this account",
  ...forSignedIn,
  responses: { ...noContent("Every session ended"), ...problemResponses(401, 403) },
});

const verifyEmail = createRoute({
  method: "post",
  path: "/auth/verify-email",
  operationId: "verifyEmail",
  tags: ["Auth"],
  summary: "Confirm an email address with the token from the verification email",
  request: { body: jsonBody(VerifyEmailInput) },
  responses: { ...noContent("Verified"), ...problemResponses(400) },
});

const requestReset = createRoute({
  method: "post",
  path: "/auth/password-reset",
  operationId: "requestPasswordReset",
  tags: ["Auth"],
  summary: "Email a password reset link",
  description: "Answers the same whether or not the email has an account.",
  request: { body: jsonBody(PasswordResetInput) },
  responses: {
    202: jsonResponse(Accepted, "If the account exists, a link is on its way"),
    ...problemResponses(400, 429),
  },
});

const confirmReset = createRoute({
  method: "post",
  path: "/auth/password-reset/confirm",
  operationId: "confirmPasswordReset",
  tags: ["Auth"],
  summary: "Set a new password with the token from the reset email; signs out every session",
  request: { body: jsonBody(PasswordResetConfirmInput) },
  responses: { ...noContent("Password changed"), ...problemResponses(400) },
});

const getMe = createRoute({
  method: "get",
  path: "/me",
  operationId: "getMe",
  tags: ["Me"],
  summary: "The signed-in account",
  ...forSignedIn,
  responses: { 200: jsonResponse(Me, "The account"), ...problemResponses(401, 403) },
});

const updateMe = createRoute({
  method: "patch",
  path: "/me",
  operationId: "updateMe",
  tags: ["Me"],
  summary: "Update the signed-in account's profile",
  ...forSignedIn,
  request: { body: jsonBody(UpdateMeInput) },
  responses: { 200: jsonResponse(Me, "The updated account"), ...problemResponses(400, 401, 403) },
});

const deleteMe = createRoute({
  method: "delete",
  path: "/me",
  operationId: "deleteMe",
  tags: ["Me"],
  summary: "Delete the signed-in account (the password confirms it)",
  ...forSignedIn,
  request: { body: jsonBody(DeleteMeInput) },
  responses: { ...noContent("Deleted"), ...problemResponses(400, 401, 403, 429) },
});

const changePassword = createRoute({
  method: "post",
  path: "/me/password",
  operationId: "changePassword",
  tags: ["Me"],
  summary: "Change the password; other sessions are signed out",
  ...forSignedIn,
  request: { body: jsonBody(ChangePasswordInput) },
  responses: { ...noContent("Changed"), ...problemResponses(400, 401, 403, 429) },
});

const withSessionCookie = (c: Context<RestEnv>, s: { token: string; expiresAt: string }) =>
  c.header("Set-Cookie", sessionCookie(s.token, new Date(s.expiresAt), secureCookies(c.get("config"))), {
    append: true,
  });
const clearSessionCookie = (c: Context<RestEnv>) =>
  c.header("Set-Cookie", blankSessionCookie(secureCookies(c.get("config"))), { append: true });

export const registerIdentityRoutes = (app: RestApp) =>
  app
    .openapi(register, async (c) => {
      const session = await identity.register(c.get("ctx"), c.req.valid("json"));
      withSessionCookie(c, session);
      return c.json(session, 201);
    })
    .openapi(signIn, async (c) => {
      const session = await identity.signIn(c.get("ctx"), c.req.valid("json"));
      withSessionCookie(c, session);
      return c.json(session, 201);
    })
    .openapi(signOut, async (c) => {
      await identity.signOut(c.get("ctx"));
      clearSessionCookie(c);
      return c.body(null, 204);
    })
    .openapi(signOutEverywhere, async (c) => {
      await identity.signOutEverywhere(c.get("ctx"));
      clearSessionCookie(c);
      return c.body(null, 204);
    })
    .openapi(verifyEmail, async (c) => {
      await identity.verifyEmail(c.get("ctx"), c.req.valid("json"));
      return c.body(null, 204);
    })
    .openapi(requestReset, async (c) => {
      await identity.requestPasswordReset(c.get("ctx"), c.req.valid("json"));
      return c.json({ accepted: true as const }, 202);
    })
    .openapi(confirmReset, async (c) => {
      await identity.confirmPasswordReset(c.get("ctx"), c.req.valid("json"));
      return c.body(null, 204);
    })
    .openapi(getMe, async (c) => c.json(await identity.getMe(c.get("ctx")), 200))
    .openapi(updateMe, async (c) => c.json(await identity.updateMe(c.get("ctx"), c.req.valid("json")), 200))
    .openapi(deleteMe, async (c) => {
      await identity.deleteMe(c.get("ctx"), c.req.valid("json"));
      clearSessionCookie(c);
      return c.body(null, 204);
    })
    .openapi(changePassword, async (c) => {
      await identity.changePassword(c.get("ctx"), c.req.valid("json"));
      return c.body(null, 204);
    });
