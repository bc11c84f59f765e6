import { z } from "zod";
import * as identity from "../../modules/identity/service";
import { defineTask } from "../task";

/** Hourly (crontab): expired sessions and long-expired email tokens. Idempotent. */
export const purgeExpiredSessions = defineTask({
  payload: z.object({}).loose(),
  async run(ctx) {
    await identity.purgeExpired(ctx);
  },
});
