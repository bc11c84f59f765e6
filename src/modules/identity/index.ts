import { defineModule } from "../../lib/module";
import * as op from "./operations";
import { purgeExpiredSessions } from "./tasks/purge-expired-sessions";
import { sendAccountEmail } from "./tasks/send-account-email";

/** Accounts, sessions, email verification and password reset. */
export default defineModule({
  name: "identity",
  tags: [
    { name: "Auth", description: "Registration, sign-in and out, email verification, password reset" },
    { name: "Me", description: "The signed-in customer's own account and address book" },
  ],
  operations: {
    auth: {
      register: op.register,
      signIn: op.signIn,
      signOut: op.signOut,
      signOutEverywhere: op.signOutEverywhere,
      verifyEmail: op.verifyEmail,
      requestPasswordReset: op.requestPasswordReset,
      confirmPasswordReset: op.confirmPasswordReset,
    },
    me: { get: op.getMe, update: op.updateMe, changePassword: op.changePassword, delete: op.deleteMe },
  },
  tasks: [sendAccountEmail, purgeExpiredSessions],
});
