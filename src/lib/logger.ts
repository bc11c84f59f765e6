import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { maskSecrets, scrub, serializeError } from "./log-redaction";

export type { Logger };

export interface LoggerOptions {
  level: string;
  pretty: boolean;
  /** Where JSON lines go instead of stdout (tests read what was logged). */
  destination?: DestinationStream;
}

/**
 * Structured JSON logs; pretty (same fields, human layout) for a developer's
 * terminal. Nothing secret is written (log-redaction.ts): every logged object
 * is scrubbed, errors go through one serializer, and messages are masked.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const base = {
    level: opts.level,
    base: { service: "cartwright" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]', "*.password", "*.token"],
      remove: true,
    },
    serializers: { err: serializeError },
    formatters: { log: (obj: Record<string, unknown>) => scrub(obj) as Record<string, unknown> },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        const [first, ...rest] = args;
        // `log.error(err)` would take the raw message as the line's msg: take the serializer's instead.
        if (first instanceof Error && rest.length === 0) {
          return method.call(this, { err: first }, (serializeError(first) as { message: string }).message);
        }
        method.apply(
          this,
          args.map((a) => (typeof a === "string" ? maskSecrets(a) : a)),
        );
      },
    },
  };
  // pino-pretty as a stream, not a worker-thread transport: synchronous and Bun-friendly.
  if (opts.pretty) return pino(base, pretty({ colorize: true, sync: true, ignore: "pid,hostname,service" }));
  return opts.destination ? pino(base, opts.destination) : pino(base);
}
