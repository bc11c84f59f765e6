// The bench's JSON calls to the server under test, for setting up targets and for scripted runs.

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few known fields of each answer.
  body: any;
  /** From the request's start to its parsed answer. */
  ms: number;
}

/** One JSON request to `api`: its status, body (null when not JSON) and time. */
export async function call(
  api: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const parsed = await res.json().catch(() => null);
  return { status: res.status, body: parsed, ms: performance.now() - started };
}

/** The same, answering the body; a status of 300 or more throws, with the answer's start. */
export async function ok(
  api: string,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Answer["body"]> {
  const res = await call(api, method, path, body, headers);
  if (res.status >= 300) {
    throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  return res.body;
}
