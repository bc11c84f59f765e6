/** One thing `bun run bench` measures. */
export interface Target {
  key: string;
  label: string;
  url: string;
  /** The bare target its ratio is taken against (default `bare`). */
  baseline?: string;
  /** A wrk Lua script and the data file it loads: each request gets its own path. */
  script?: { file: string; data: string };
  /** Sent with every request (the credentials of the signed-in targets). */
  headers?: Record<string, string>;
}
