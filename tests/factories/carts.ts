import type postgres from "postgres";
import type { Caller, RestClient, TestApp, TestUser } from "../harness";

/** A shopper's handle on one cart: its id, and clients that carry what holds it. */
export interface CartHandle {
  id: string;
  /** The guest's secret, null for a customer's cart. */
  token: string | null;
  headers: Record<string, string>;
  rest: RestClient;
  trpc: Caller["trpc"];
  /** `/api/v1/carts/{id}` + `suffix`. */
  path(suffix?: string): string;
}

function handle(t: TestApp, id: string, token: string | null, headers: Record<string, string>): CartHandle {
  const all = { ...headers, ...(token ? { "x-cart-token": token } : {}) };
  return {
    id,
    token,
    headers: all,
    rest: t.rest.with(all),
    trpc: t.trpcWith(all),
    path: (suffix = "") => `/api/v1/carts/${id}${suffix}`,
  };
}

/** A new guest cart over REST, as a storefront starts one. */
export async function guestCart(t: TestApp, body: Record<string, unknown> = {}): Promise<CartHandle> {
  const res = await t.rest.post("/api/v1/carts", body);
  if (res.status !== 201) throw new Error(`creating a guest cart: ${res.status} ${JSON.stringify(res.body)}`);
  return handle(t, res.body.id, res.body.token, {});
}

/** The customer's active cart over REST (made on first call). */
export async function customerCart(
  t: TestApp,
  user: TestUser,
  body: Record<string, unknown> = {},
): Promise<CartHandle> {
  const res = await t.rest.post("/api/v1/carts", body, { headers: user.headers });
  if (res.status !== 201) throw new Error(`creating a customer cart: ${res.status} ${JSON.stringify(res.body)}`);
  return handle(t, res.body.id, null, user.headers);
}

/** Adds `quantity` of a variant over REST and answers the cart, failing loudly otherwise. */
export async function addToCart(cart: CartHandle, variantId: string, quantity = 1) {
  const res = await cart.rest.post(cart.path("/items"), { variantId, quantity });
  if (res.status !== 200) throw new Error(`adding to a cart: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * `request` started while another transaction holds the cart's lock, having run `write`:
 * that write commits once the request's statement waits for the lock, so the statement's
 * snapshot is older than the cart it locks.
 */
export async function withWriteInBetween<T>(
  t: TestApp,
  cartId: string,
  write: (sql: postgres.Sql) => Promise<unknown>,
  request: () => Promise<T>,
): Promise<T> {
  const other = await t.sql.reserve();
  try {
    await other`begin`;
    await other`update carts set updated_at = now() where id = ${cartId}`;
    await write(other as unknown as postgres.Sql);
    const pending = request();
    for (let waited = 0; ; waited += 5) {
      const [row] = await t.sql`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`;
      if (row?.n) break;
      if (waited > 5000) throw new Error("the request never waited for the cart's lock");
      await Bun.sleep(5);
    }
    await other`commit`;
    return await pending;
  } finally {
    other.release();
  }
}
