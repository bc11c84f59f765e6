import { READY_TOKEN_HEADER } from "../src/ops/health";

/** READY_TOKEN for apps and servers whose tests read /ready's details (pass it as `env`). */
export const READY_ENV = { READY_TOKEN: "test-ready-token-0123456789" };

/** The headers that show /ready's details. */
export const readyHeaders = { [READY_TOKEN_HEADER]: READY_ENV.READY_TOKEN };

/** /ready as a probe holding the token sees it: HTTP status and details. */
export async function readyDetails(
  fetcher: { fetch(req: Request): Response | Promise<Response> },
  base = "http://cartwright.test",
) {
  const res = await fetcher.fetch(new Request(`${base}/ready`, { headers: readyHeaders }));
  return { status: res.status, body: await res.json() };
}
