import { Logger as WorkerLogger } from "graphile-worker";
import type { Logger } from "../lib/logger";

/** Graphile Worker's log lines as our structured logs. */
export function workerLogger(log: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta, component: "worker" };
    if (level === "error") log.error(fields, message);
    else if (level === "warning") log.warn(fields, message);
    else if (level === "info") log.debug(fields, message);
    else log.trace(fields, message);
  });
}
