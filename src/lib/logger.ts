import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

export interface LoggerOptions {
  level: string;
  pretty: boolean;
}

/** Structured JSON logs; pretty (same fields, human layout) for a developer's terminal. */
export function createLogger(opts: LoggerOptions): Logger {
  const base = {
    level: opts.level,
    base: { service: "cartwright" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token"], remove: true },
  };
  // pino-pretty as a stream, not a worker-thread transport: synchronous and Bun-friendly.
  return opts.pretty ? pino(base, pretty({ colorize: true, sync: true, ignore: "pid,hostname,service" })) : pino(base);
}
