import { resolve } from "node:path";
import { LUA_DIR, luaTable } from "./catalog-requests";
import { ok } from "./http";
import type { CatalogSample } from "./prepare-catalog";
import type { Target } from "./target";

// The cart targets of issue 15: a signed-in customer's cart read (5 lines, the
// seeded code SAVE10 and an automatic promotion) and adding an item to one of
// many guest carts, both judged against GET /health in the same round.

export const CART_TARGET_KEYS = ["cart-read", "cart-add"];
const GUEST_CARTS = 200;
const ADD_VARIANTS = 50;
/** The seed's demo customer (src/seed/accounts.ts). */
const DEMO_CUSTOMER = { email: "ada@cartwright.test", password: "cartwright-ada-demo" };

/** In-stock variants of the sampled products, each restocked to plenty by the admin so adds never run out. */
async function stockedVariants(api: string, sample: CatalogSample, admin: Record<string, string>, n: number) {
  const found: { id: string; price: number }[] = [];
  for (const slug of sample.slugs) {
    if (found.length >= n) break;
    const product = await ok(api, "GET", `/api/v1/products/${encodeURIComponent(slug)}`).catch(() => null);
    const variant = product?.variants?.[0];
    if (!variant) continue;
    await ok(api, "PUT", `/api/v1/admin/inventory/${variant.id}`, { onHand: 1_000_000, reason: "bench stock" }, admin);
    found.push({ id: variant.id, price: variant.price });
  }
  return found;
}

/**
 * Prepares the carts and answers the targets: the customer's cart gets 5 lines,
 * enough for the seeded free-shipping promotion (from 75.00), the code SAVE10, a US
 * destination and its first shipping method.
 */
export async function cartTargets(opts: {
  api: string;
  sample: CatalogSample;
  tmp: string;
  adminHeaders: Record<string, string>;
  wrk: boolean;
}): Promise<{ targets: Target[]; skipped: string[] }> {
  const skipped: string[] = [];
  const variants = await stockedVariants(opts.api, opts.sample, opts.adminHeaders, ADD_VARIANTS);
  if (variants.length < 5) return { targets: [], skipped: ["cart targets: fewer than 5 products to add: skipped"] };

  const signedIn = await ok(opts.api, "POST", "/api/v1/auth/sessions", { ...DEMO_CUSTOMER, session: "bearer" });
  const customer = { authorization: `Bearer ${signedIn.token}` };
  const cart = await ok(opts.api, "POST", "/api/v1/carts", {}, customer);
  await ok(opts.api, "DELETE", `/api/v1/carts/${cart.id}/items`, undefined, customer);
  for (const v of variants.slice(0, 5)) {
    const quantity = Math.max(1, Math.min(9, Math.ceil(1600 / Math.max(v.price, 1))));
    await ok(opts.api, "POST", `/api/v1/carts/${cart.id}/items`, { variantId: v.id, quantity }, customer);
  }
  await ok(opts.api, "PATCH", `/api/v1/carts/${cart.id}`, { country: "US", region: "CA" }, customer);
  const methods = await ok(opts.api, "GET", `/api/v1/shipping-methods?cartId=${cart.id}`, undefined, customer);
  // The dearest method: the seeded free-shipping promotion then has a charge to take off.
  const dearest = [...methods.items].sort((a: { amount: number }, b: { amount: number }) => b.amount - a.amount)[0];
  if (dearest) await ok(opts.api, "PATCH", `/api/v1/carts/${cart.id}`, { shippingMethodId: dearest.id }, customer);
  if (!cart.couponCode) await ok(opts.api, "POST", `/api/v1/carts/${cart.id}/coupons`, { code: "SAVE10" }, customer);
  const priced = await ok(opts.api, "GET", `/api/v1/carts/${cart.id}`, undefined, customer);
  const promotions = priced.promotions.map((p: { name: string }) => p.name).join(", ");
  const targets: Target[] = [
    {
      key: "cart-read",
      label: `bearer GET /api/v1/carts/{id} (${priced.items.length} lines; ${promotions || "no promotion"})`,
      url: `${opts.api}/api/v1/carts/${cart.id}`,
      headers: customer,
      baseline: "health",
    },
  ];

  if (!opts.wrk) {
    skipped.push("POST /api/v1/carts/{id}/items: needs wrk (a Lua script varies every request): skipped");
    return { targets, skipped };
  }
  const guests: string[] = [];
  for (let i = 0; i < GUEST_CARTS; i++) {
    const guest = await ok(opts.api, "POST", "/api/v1/carts", {});
    guests.push(`${guest.id} ${guest.token}`);
  }
  const data = resolve(opts.tmp, "cart-add.data.lua");
  await Bun.write(data, luaTable({ carts: guests, variants: variants.map((v) => v.id) }));
  const first = guests[0]?.split(" ")[0];
  targets.push({
    key: "cart-add",
    label: `guest POST /api/v1/carts/{id}/items, one unit, random cart of ${GUEST_CARTS} (each up to 5 lines of ${variants.length} variants)`,
    url: `${opts.api}/api/v1/carts/${first}/items`,
    baseline: "health",
    script: { file: resolve(LUA_DIR, "cart-add.lua"), data },
  });
  return { targets, skipped };
}
