import { modules } from "../../modules";
import type { Task } from "../task";
import { purgeIdempotencyKeys } from "./purge-idempotency-keys";

/** Every task by its job's name: the platform's own, then each module's (src/modules/index.ts). */
export const tasks: Record<string, Task> = Object.fromEntries(
  [purgeIdempotencyKeys, ...modules.flatMap((m) => m.tasks ?? [])].map((task) => [task.job.name, task as Task]),
);

/** Periodic tasks, in Graphile Worker's crontab format, from each task's `schedule`. */
export const crontab = Object.values(tasks)
  .filter((task) => task.schedule)
  .map((task) => `${task.schedule} ${task.job.name} ?max=1`)
  .join("\n");
