import { singleConnection } from "../src/db/client";
import { type Answer, call, ok } from "./http";
import type { CatalogSample } from "./prepare-catalog";

// Issue 16's checkout measurements, over the REST facade from the bench's own process
// (never the server's runtime): 200 buyers racing for a variant with 50 units, then
// steady checkouts of many carts with ample stock, the worker running beside them.

export const CHECKOUT_KEYS = ["checkout-race", "checkout"];
const RACERS = 200;
const RACE_UNITS = 50;
const STEADY_VARIANTS = 40;

interface Options {
  api: string;
  sample: CatalogSample;
  adminHeaders: Record<string, string>;
  /** Checkouts in the steady run, and how many are in flight at once. */
  orders: number;
  connections: number;
  /** The server's database: how many confirmation mails wait for the worker is read there. */
  databaseUrl: string;
  say(line: string): void;
}

export interface CheckoutResults {
  race: {
    buyers: number;
    units: number;
    placed: number;
    outOfStock: number;
    other: number;
    unitsSold: number | null;
    ordersPerSecond: number;
    p99: number;
  };
  steady: {
    orders: number;
    connections: number;
    ordersPerSecond: number;
    p50: number;
    p99: number;
    errors: number;
    /** Order mails still queued when the last checkout answered, and how long the worker took to send them all. */
    mailsQueued: number;
    mailsSentAfterSeconds: number | null;
  };
}

/** `n` tasks, `width` at a time, with a progress line. */
async function pool<T>(
  n: number,
  width: number,
  task: (i: number) => Promise<T>,
  say: (l: string) => void,
  what: string,
) {
  const out: T[] = new Array(n);
  let next = 0;
  let done = 0;
  const step = Math.max(1, Math.floor(n / 10));
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      for (let i = next++; i < n; i = next++) {
        out[i] = await task(i);
        if (++done % step === 0) say(`bench: ${what} ${done}/${n}`);
      }
    }),
  );
  return out;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Variants of distinct sampled products with a price, restocked to `onHand` by the admin; answers their levels. */
async function variantsOf(opts: Options, slugs: string[], n: number, onHand: number) {
  const found: { id: string; reserved: number }[] = [];
  for (const slug of slugs) {
    if (found.length >= n) break;
    const product = await call(opts.api, "GET", `/api/v1/products/${encodeURIComponent(slug)}`);
    const variant = product.body?.variants?.[0];
    if (product.status !== 200 || !variant) continue;
    const level = await ok(
      opts.api,
      "PUT",
      `/api/v1/admin/inventory/${variant.id}`,
      { onHand, reason: "bench stock" },
      opts.adminHeaders,
    );
    found.push({ id: variant.id, reserved: level.reserved ?? 0 });
  }
  return found;
}

/** A guest cart holding one unit of `variantId`, shipping to the US by its first method. */
async function cartFor(api: string, variantId: string, methodId: string | null) {
  const cart = await ok(api, "POST", "/api/v1/carts", { country: "US" });
  const holder = { "x-cart-token": cart.token };
  await ok(api, "POST", `/api/v1/carts/${cart.id}/items`, { variantId, quantity: 1 }, holder);
  const method =
    methodId ?? (await ok(api, "GET", `/api/v1/shipping-methods?cartId=${cart.id}`, undefined, holder)).items[0]?.id;
  if (!method) throw new Error("no shipping method serves the US: seed the store first");
  return { id: cart.id as string, holder, method: method as string };
}

const checkoutOf = (api: string, cart: { id: string; holder: Record<string, string>; method: string }, n: number) =>
  call(
    api,
    "POST",
    "/api/v1/checkout",
    {
      cartId: cart.id,
      email: `bench${n}@example.test`,
      shippingAddress: {
        name: "Bench Buyer",
        line1: "1 Load St",
        city: "Springfield",
        postalCode: "12345",
        country: "US",
      },
      shippingMethodId: cart.method,
    },
    { ...cart.holder, "idempotency-key": crypto.randomUUID() },
  );

export async function measureCheckout(opts: Options, only: string[] | null): Promise<Partial<CheckoutResults>> {
  const results: Partial<CheckoutResults> = {};
  const slugs = [...opts.sample.slugs].sort(() => Math.random() - 0.5);
  const [first] = await variantsOf(opts, slugs, 1, 1_000_000);
  if (!first) throw new Error("no product with a variant to check out");
  const { method } = await cartFor(opts.api, first.id, null);

  if (!only || only.includes("checkout-race")) {
    // A variant of its own: stock for every racer's cart, then only 50 units left for all of them.
    const [target] = await variantsOf(opts, slugs.slice(1), 1, 1_000_000);
    if (!target) throw new Error("no second product to race for");
    const carts = await pool(RACERS, 20, () => cartFor(opts.api, target.id, method), opts.say, "race carts");
    await ok(
      opts.api,
      "PUT",
      `/api/v1/admin/inventory/${target.id}`,
      { onHand: target.reserved + RACE_UNITS, reason: "bench race" },
      opts.adminHeaders,
    );
    opts.say(`bench: ${RACERS} buyers racing for ${RACE_UNITS} units`);
    const started = performance.now();
    const answers = await Promise.all(carts.map((cart, i) => checkoutOf(opts.api, cart, i)));
    const seconds = (performance.now() - started) / 1000;
    const placed = answers.filter((a) => a.status === 201);
    const outOfStock = answers.filter((a) => a.status === 409 && a.body?.code === "OUT_OF_STOCK").length;
    // Sold: each placed order paid (the manual provider's admin action), which commits its unit.
    let sold: number | null = 0;
    for (const a of placed) {
      const paid = await call(
        opts.api,
        "POST",
        `/api/v1/admin/orders/${a.body.order.id}/mark-paid`,
        {},
        opts.adminHeaders,
      );
      if (paid.status === 404 && !paid.body?.code) sold = null;
      else if (paid.status < 300 && sold !== null) sold += 1;
    }
    await ok(
      opts.api,
      "PUT",
      `/api/v1/admin/inventory/${target.id}`,
      { onHand: 1_000_000, reason: "bench restock" },
      opts.adminHeaders,
    );
    results.race = {
      buyers: RACERS,
      units: RACE_UNITS,
      placed: placed.length,
      outOfStock,
      other: answers.length - placed.length - outOfStock,
      unitsSold: sold === null ? null : sold,
      ordersPerSecond: answers.length / seconds,
      p99: percentile(
        answers.map((a) => a.ms).sort((a, b) => a - b),
        0.99,
      ),
    };
  }

  if (!only || only.includes("checkout")) {
    const stocked = [first, ...(await variantsOf(opts, slugs.slice(2), STEADY_VARIANTS - 1, 1_000_000))];
    const carts = await pool(
      opts.orders,
      20,
      (i) => cartFor(opts.api, (stocked[i % stocked.length] as { id: string }).id, method),
      opts.say,
      "steady carts",
    );
    opts.say(`bench: ${opts.orders} checkouts, ${opts.connections} at a time`);
    const started = performance.now();
    const answers = await pool(
      opts.orders,
      opts.connections,
      (i) => checkoutOf(opts.api, carts[i] as never, i),
      opts.say,
      "checkouts",
    );
    const seconds = (performance.now() - started) / 1000;
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    const mails = await mailBacklog(opts);
    await cancelPlaced(opts, answers);
    // Their cancellation mails are sent before the server stops, not at the next run's start.
    await mailBacklog(opts);
    results.steady = {
      orders: opts.orders,
      connections: opts.connections,
      ordersPerSecond: answers.filter((a) => a.status === 201).length / seconds,
      p50: percentile(times, 0.5),
      p99: percentile(times, 0.99),
      errors: answers.filter((a) => a.status !== 201).length,
      mailsQueued: mails.queued,
      mailsSentAfterSeconds: mails.sentAfterSeconds,
    };
  }
  return results;
}

/**
 * Off the clock, the steady run's orders are cancelled as staff would (their stock released):
 * left unpaid, they would expire 30 minutes later, in the middle of whatever runs then.
 * (Found when expiring earlier runs' 36,000 orders doubled a checkout's database time.)
 */
async function cancelPlaced(opts: Options, answers: Answer[]): Promise<void> {
  const ids = answers.filter((a) => a.status === 201).map((a) => a.body.order.id as string);
  await pool(
    ids.length,
    20,
    (i) =>
      ok(opts.api, "POST", `/api/v1/admin/orders/${ids[i]}/cancel`, { reason: "bench cleanup" }, opts.adminHeaders),
    opts.say,
    "cancelled",
  );
}

const MAIL_WAIT_SECONDS = 300;

/**
 * The order mails the worker has still to send now, then how long it takes to send them all
 * (null past 5 minutes): the checkouts' throughput says nothing of the mails they queued.
 */
async function mailBacklog(opts: Options): Promise<{ queued: number; sentAfterSeconds: number | null }> {
  const db = singleConnection(opts.databaseUrl);
  const queued = async () => {
    const [row] = await db<{ n: number }[]>`
      select count(*)::int as n from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'send-order-email' and j.attempts < j.max_attempts`;
    return row?.n ?? 0;
  };
  try {
    const first = await queued();
    const started = performance.now();
    for (let left = first; left > 0; left = await queued()) {
      if (performance.now() - started > MAIL_WAIT_SECONDS * 1000) return { queued: first, sentAfterSeconds: null };
      opts.say(`bench: ${left} order mails still queued`);
      await Bun.sleep(1000);
    }
    return { queued: first, sentAfterSeconds: (performance.now() - started) / 1000 };
  } finally {
    await db.end();
  }
}

/** The RESULTS.md lines of a checkout run. */
export function checkoutReport(r: Partial<CheckoutResults>, health: number | null): string[] {
  const lines: string[] = [];
  if (r.race) {
    const sold = r.race.unitsSold === null ? "n/a (no mark-paid route)" : String(r.race.unitsSold);
    lines.push(
      "### Checkout race",
      "",
      `${r.race.buyers} guest buyers, each with one unit of the same variant in their cart, check out at once when ${r.race.units} units are left.`,
      "",
      "| buyers | units | orders placed | OUT_OF_STOCK (409) | other answers | units sold (paid) | checkouts/s | p99 ms |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      `| ${r.race.buyers} | ${r.race.units} | ${r.race.placed} | ${r.race.outOfStock} | ${r.race.other} | ${sold} | ${r.race.ordersPerSecond.toFixed(0)} | ${r.race.p99.toFixed(1)} |`,
      "",
      `**Units sold ${r.race.unitsSold === r.race.units ? "=" : "≠"} ${r.race.units}**.`,
      "",
    );
  }
  if (r.steady) {
    const goal = r.steady.ordersPerSecond >= 300 ? "met" : "not met";
    lines.push(
      "### Steady checkout",
      "",
      `${r.steady.orders} guest carts (one unit each of ${STEADY_VARIANTS} variants with ample stock) checked out, ${r.steady.connections} at a time, with the worker running (confirmation mails, search stock updates).`,
      "",
      "| orders | in flight | orders/s | p50 ms | p99 ms | non-201 | mails queued at the end | all mails sent after |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      `| ${r.steady.orders} | ${r.steady.connections} | ${r.steady.ordersPerSecond.toFixed(0)} | ${r.steady.p50.toFixed(1)} | ${r.steady.p99.toFixed(1)} | ${r.steady.errors} | ${r.steady.mailsQueued} | ${r.steady.mailsSentAfterSeconds === null ? `more than ${MAIL_WAIT_SECONDS} s` : `${r.steady.mailsSentAfterSeconds.toFixed(1)} s`} |`,
      "",
      "The worker runs inside the server, which gives the checkouts' requests most of the event loop: the confirmation mails queue up during the run and go out after it (the last two columns). A store that must mail as fast as it sells runs `bun run worker` processes beside the API.",
      "",
      `**Goal ${goal}**: ${r.steady.ordersPerSecond.toFixed(0)} orders/s (goal ≥ 300)${health ? `, beside \`GET /health\` at ${Math.round(health).toLocaleString("en-US")} req/s in the same run` : ""}.`,
      "",
    );
  }
  return lines;
}
