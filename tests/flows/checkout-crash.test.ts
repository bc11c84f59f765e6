import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADDRESS, flatShipping } from "../factories/checkout";
import { makeProduct } from "../factories/products";
import { hasRedis, useTestApp } from "../harness";
import { type ServerProcess, startServer } from "../server-process";

// A checkout storm against real server processes (with their workers), one of them
// killed with SIGKILL mid-storm and restarted. Clients retry what failed, with the same
// Idempotency-Key, on whichever server answers, as a storefront behind a load balancer would.

const t = await useTestApp();
const mailDir = mkdtempSync(join(tmpdir(), "cartwright-crash-mail-"));
afterAll(() => rmSync(mailDir, { recursive: true, force: true }));

const env = {
  DATABASE_URL: t.databaseUrl,
  MIGRATE_ON_BOOT: "false",
  SEED_ON_FIRST_RUN: "false",
  LOG_LEVEL: "warn",
  API_RATE_LIMIT_PER_MINUTE: "1000000",
  MAIL_DIR: mailDir,
  // Caches must agree across processes: with Redis they share it; without, one process serves at a time.
  ...(hasRedis && { REDIS_URL: process.env.CW_TEST_REDIS_URL as string, REDIS_KEY_PREFIX: `crash-${process.pid}:` }),
};

const CLIENTS = 40;

interface Outcome {
  key: string;
  orderId: string | null;
  lines: { variantId: string; quantity: number }[];
}

describe("checkout under a crash", () => {
  test("SIGKILL mid-storm: every 2xx has its order, each order holds exactly its reservation, stock = ledger", async () => {
    const methodId = await flatShipping(t, "US", 400);
    const products = await Promise.all(
      [0, 1, 2].map((i) => makeProduct(t, { title: `Storm ${i}`, variants: [{ price: 1500 + i, onHand: 30 }] })),
    );
    const variantIds = products.map((p) => p.variants[0]?.id as string);

    let servers: ServerProcess[] = [await startServer(env)];
    if (hasRedis) servers.push(await startServer(env));
    const alive = () => servers.filter((s) => s.proc.exitCode === null && !s.proc.killed);
    let turn = 0;
    let interrupted = 0;
    /** One request to some live server; a refused or reset connection is retried elsewhere (or after the restart). */
    async function call(path: string, init: RequestInit, retry = true): Promise<Response | null> {
      for (let attempt = 0; attempt < 200; attempt++) {
        const live = alive();
        const server = live[turn++ % Math.max(live.length, 1)];
        if (server) {
          try {
            return await fetch(server.url + path, init);
          } catch {
            // Killed under us: the same request (a checkout with the same key) goes again.
            interrupted++;
            if (!retry) return null;
          }
        }
        await Bun.sleep(50);
      }
      throw new Error(`no server answered ${path}`);
    }
    const json = (body: unknown, headers: Record<string, string> = {}) => ({
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

    async function shopper(n: number): Promise<Outcome> {
      const lines = [
        { variantId: variantIds[n % 3] as string, quantity: 1 + (n % 2) },
        { variantId: variantIds[(n + 1) % 3] as string, quantity: 1 },
      ];
      const key = `crash-${n}-${crypto.randomUUID()}`;
      let cart: { id: string; token: string } | null = null;
      while (!cart) {
        const res = await call("/api/v1/carts", json({}));
        if (res?.status === 201) cart = await res.json();
      }
      const holder = { "x-cart-token": cart.token };
      for (const line of lines) {
        // An add is not idempotent: after a lost answer, read the cart to see whether it landed.
        for (;;) {
          const res = await call(`/api/v1/carts/${cart.id}/items`, json(line, holder), false);
          if (res?.status === 200) break;
          if (res?.status === 409) return { key, orderId: null, lines };
          const read = await call(`/api/v1/carts/${cart.id}`, { headers: holder });
          const items: { variantId: string }[] = read?.status === 200 ? (await read.json()).items : [];
          if (items.some((i) => i.variantId === line.variantId)) break;
        }
      }
      for (;;) {
        const res = await call(
          "/api/v1/checkout",
          json(
            { cartId: cart.id, email: `storm${n}@example.test`, shippingAddress: ADDRESS, shippingMethodId: methodId },
            { ...holder, "idempotency-key": key },
          ),
        );
        if (!res) continue;
        if (res.status === 201) return { key, orderId: (await res.json()).order.id, lines };
        if (res.status === 409) return { key, orderId: null, lines };
        if (res.status >= 500) await Bun.sleep(20);
        else throw new Error(`checkout answered ${res.status}: ${await res.text()}`);
      }
    }

    const storm = Promise.all(Array.from({ length: CLIENTS }, (_, n) => shopper(n)));
    // Mid-storm: once some orders are in, while others are on their way.
    for (let i = 0; i < 200; i++) {
      const [n] = await t.sql`select count(*)::int as n from orders`;
      if ((n?.n ?? 0) >= 5) break;
      await Bun.sleep(10);
    }
    const victim = servers[0] as ServerProcess;
    victim.proc.kill("SIGKILL");
    await victim.proc.exited;
    servers = [...servers.filter((s) => s !== victim), await startServer(env)];
    const outcomes = await storm;
    expect(interrupted).toBeGreaterThan(0);

    // Every client that got a 2xx has its order, once, with the lines it asked for.
    const placed = outcomes.filter((o) => o.orderId);
    expect(placed.length).toBeGreaterThan(0);
    for (const o of placed) {
      const rows =
        await t.sql`select variant_id, quantity from order_lines where order_id = ${o.orderId} order by position`;
      expect(rows.map((r) => ({ variantId: r.variant_id, quantity: r.quantity }))).toEqual(o.lines);
    }
    const [orders] = await t.sql`select count(*)::int as n from orders`;
    expect(orders?.n).toBe(placed.length);
    // Each order holds exactly its reservation: one reserve entry per line, for its quantity.
    const mismatched = await t.sql`
      select o.id from orders o join order_lines ol on ol.order_id = o.id
      left join lateral (select coalesce(sum(reserved_delta), 0)::int as held from inventory_ledger
        where order_id = o.id and variant_id = ol.variant_id) r on true
      where r.held <> ol.quantity`;
    expect([...mismatched]).toEqual([]);
    // Stock equals its ledger, and what is reserved is what open orders hold.
    const levels = await t.sql`
      select l.variant_id, l.on_hand, l.reserved,
        (select coalesce(sum(on_hand_delta), 0)::int from inventory_ledger e where e.variant_id = l.variant_id) as on_hand_sum,
        (select coalesce(sum(reserved_delta), 0)::int from inventory_ledger e where e.variant_id = l.variant_id) as reserved_sum,
        (select coalesce(sum(ol.quantity), 0)::int from order_lines ol join orders o on o.id = ol.order_id
          where ol.variant_id = l.variant_id and o.status = 'pending_payment') as held
      from inventory_levels l where l.variant_id in ${t.sql(variantIds)}`;
    for (const level of levels) {
      expect(level.on_hand).toBe(level.on_hand_sum);
      expect(level.reserved).toBe(level.reserved_sum);
      expect(level.reserved).toBe(level.held);
      expect(level.reserved).toBeLessThanOrEqual(level.on_hand);
    }
    for (const s of servers) s.proc.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.proc.exited));
  }, 120_000);
});
