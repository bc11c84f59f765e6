import { customerProcedure, publicProcedure, router } from "../../trpc/init";
import { addressesRouter } from "../addresses/trpc";
import {
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

const setSession = (ctx: { resHeaders: Headers; secureCookies: boolean }, s: SessionResult) => {
  ctx.resHeaders.append("Set-Cookie", sessionCookie(s.token, new Date(s.expiresAt), ctx.secureCookies));
  return s;
};
const clearSession = (ctx: { resHeaders: Headers; secureCookies: boolean }) => {
  ctx.resHeaders.append("Set-Cookie", blankSessionCookie(ctx.secureCookies));
};

export const authRouter = router({
  register: publicProcedure
    .input(RegisterInput)
    .output(SessionResult)
    .mutation(async ({ ctx, input }) => setSession(ctx, await identity.register(ctx, input))),
  signIn: publicProcedure
    .input(SignInInput)
    .output(SessionResult)
    .mutation(async ({ ctx, input }) => setSession(ctx, await identity.signIn(ctx, input))),
  signOut: customerProcedure.mutation(async ({ ctx }) => {
    await identity.signOut(ctx);
    clearSession(ctx);
  }),
  signOutEverywhere: customerProcedure.mutation(async ({ ctx }) => {
    await identity.signOutEverywhere(ctx);
    clearSession(ctx);
  }),
  verifyEmail: publicProcedure.input(VerifyEmailInput).mutation(({ ctx, input }) => identity.verifyEmail(ctx, input)),
  requestPasswordReset: publicProcedure
    .input(PasswordResetInput)
    .mutation(({ ctx, input }) => identity.requestPasswordReset(ctx, input)),
  confirmPasswordReset: publicProcedure
    .input(PasswordResetConfirmInput)
    .mutation(({ ctx, input }) => identity.confirmPasswordReset(ctx, input)),
});

export const meRouter = router({
  get: customerProcedure.output(Me).query(({ ctx }) => identity.getMe(ctx)),
  update: customerProcedure
    .input(UpdateMeInput)
    .output(Me)
    .mutation(({ ctx, input }) => identity.updateMe(ctx, input)),
  changePassword: customerProcedure
    .input(ChangePasswordInput)
    .mutation(({ ctx, input }) => identity.changePassword(ctx, input)),
  delete: customerProcedure.input(DeleteMeInput).mutation(async ({ ctx, input }) => {
    await identity.deleteMe(ctx, input);
    clearSession(ctx);
  }),
  addresses: addressesRouter,
});
