/**
 * What keeps secrets out of the logs (issue 13, "Logs never hold secrets"):
 * values under secret-sounding keys are replaced, secrets recognisable by
 * their shape are masked inside any string, and a failed query is logged as
 * its SQLSTATE, message and first words, never with the values it was sent.
 */

const REDACTED = "[redacted]";

/** Keys whose values are secrets wherever they appear: credentials, hashes, session ids. */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api_?key|session_?id)$|password|passwd|secret|token|key_?hash/i;

/** Secrets with a recognisable shape: argon2 hashes, API keys, and whatever follows "Bearer". */
const SECRET_SHAPES: [RegExp, string][] = [
  [/\$argon2(?:id|i|d)\$[^\s"',)]*/g, "$argon2[redacted]"],
  [/\bck_[A-Za-z0-9_-]+/g, "ck_[redacted]"],
  [/\b(Bearer\s+)[^\s"',]+/gi, `$1${REDACTED}`],
];

/** Fields of a postgres.js or drizzle query error that hold the values it was called with. */
const QUERY_VALUES = new Set(["parameters", "args", "params", "types", "query", "detail", "where"]);

const MAX_DEPTH = 6;

/** `text` with every recognisable secret masked. */
export function maskSecrets(text: string): string {
  let masked = text;
  for (const [shape, replacement] of SECRET_SHAPES) masked = masked.replace(shape, replacement);
  return masked;
}

/** A copy of a log object fit to be written: errors serialized, secret keys redacted, strings masked. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskSecrets(value);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return serializeError(value, depth);
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (value instanceof Headers) return scrub(Object.fromEntries(value), depth);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? REDACTED : scrub(v, depth + 1);
  return out;
}

/**
 * pino's `err` serializer: type, message, stack and the error's own fields,
 * all scrubbed. A failed query keeps its SQLSTATE `code`, the names of what
 * it touched and `statement`, the query's first words; never its parameters.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return scrub(err, depth);
  const own = err as Error & Record<string, unknown>;
  const sql = typeof own.query === "string" ? own.query : null;
  const out: Record<string, unknown> = { type: err.name || err.constructor.name };
  // drizzle's DrizzleQueryError puts the whole SQL and its params in the message itself.
  out.message = sql ? withoutValue(err.message) : maskSecrets(err.message);
  if (sql) out.statement = firstWords(sql);
  for (const [key, v] of Object.entries(own)) {
    if (QUERY_VALUES.has(key) || key === "message" || key === "cause" || key in out) continue;
    out[key] = SECRET_KEY.test(key) ? REDACTED : scrub(v, depth + 1);
  }
  if (err.stack) out.stack = scrubStack(err.stack, err.message, out.message as string);
  if (own.cause !== undefined && depth < MAX_DEPTH) out.cause = serializeError(own.cause, depth + 1);
  return out;
}

/**
 * A query error's message without the input it quotes (`invalid input syntax
 * for type uuid: "..."`); drizzle's wrapper puts the whole SQL and its params
 * in the message itself.
 */
function withoutValue(message: string): string {
  if (message.startsWith("Failed query:")) return "Failed query";
  return maskSecrets(message.replace(/:\s*".*"\s*$/s, ": [value]"));
}

/** The first words of a statement, enough to know which one failed, none of its literals. */
function firstWords(sql: string): string {
  return sql.replace(/\s+/g, " ").trim().split(" ").slice(0, 4).join(" ").slice(0, 80);
}

/** A stack starts with the message: the same replacement, then the usual masking. */
function scrubStack(stack: string, message: string, safeMessage: string): string {
  return maskSecrets(message && stack.includes(message) ? stack.replace(message, safeMessage) : stack);
}
