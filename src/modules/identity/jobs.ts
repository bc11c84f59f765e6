import { z } from "zod";
import { defineJob } from "../../jobs/job";
import { AccountEmailPayload } from "./schemas";

/** Email verification and password reset mails (the token is made when the job runs). */
export const sendAccountEmailJob = defineJob("send-account-email", AccountEmailPayload);

/** Expired sessions and long-expired email tokens. */
export const purgeExpiredSessionsJob = defineJob("purge-expired-sessions", z.object({}).loose());
