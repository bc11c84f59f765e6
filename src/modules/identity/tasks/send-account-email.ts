import { defineTask } from "../../../jobs/task";
import { sendAccountEmailJob } from "../jobs";
import * as identity from "../service";

/**
 * Email verification and password reset mails. The token is made here, not
 * in the request, so it never sits raw in the jobs table; a rerun issues a new
 * one and voids the old, leaving one valid link.
 */
export const sendAccountEmail = defineTask({
  job: sendAccountEmailJob,
  async run(ctx, { userId, purpose }, env) {
    const mail = await identity.prepareAccountEmail(ctx, userId, purpose, env.storefrontUrl);
    if (mail) await env.mailer.send(mail);
  },
});
