import { afterAll, describe, expect, test } from "bun:test";
import { useTestApp } from "./harness";
import { READY_ENV, readyDetails } from "./ready";
import { TcpProxy } from "./tcp-proxy";

const pg = new URL(process.env.CW_TEST_PG_ADMIN_URL ?? "");
const proxy = await TcpProxy.start({ host: pg.hostname, port: Number(pg.port || 5432) });
const t = await useTestApp({
  env: READY_ENV,
  rewriteDatabaseUrl: (url) => {
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    return url;
  },
});
afterAll(() => proxy.close());
const asAdmin = (await t.user("admin")).headers;

const ready = () => readyDetails(t.app);

describe("when Postgres goes away (external mode)", () => {
  test("/ready turns 503, API calls answer 503 problems, and both recover by themselves", async () => {
    expect((await ready()).status).toBe(200);
    expect((await t.rest.get("/api/v1/categories/anything")).status).toBe(404);

    await proxy.cut();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.checks.postgres).toBe("down");
    const anonymous = await t.app.fetch(new Request("http://cartwright.test/ready"));
    expect(anonymous.status).toBe(503);
    expect(await anonymous.json()).toEqual({ status: "down" });

    const read = await t.rest.get("/api/v1/categories/anything");
    expect(read.status).toBe(503);
    expect(read.body).toMatchObject({ code: "SERVICE_UNAVAILABLE", status: 503 });
    const write = await t.rest.post("/api/v1/admin/categories", { name: "During outage" }, { headers: asAdmin });
    expect(write.status).toBe(503);
    const viaTrpc = await t.trpc.catalog.categories.get.query({ idOrSlug: "anything" }).catch((e) => e);
    expect(viaTrpc.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(viaTrpc.data.httpStatus).toBe(503);

    await proxy.restore();
    let back = await ready();
    for (let i = 0; i < 50 && back.status !== 200; i++) {
      await Bun.sleep(100);
      back = await ready();
    }
    expect(back.status).toBe(200);
    const created = await t.rest.post("/api/v1/admin/categories", { name: "After outage" }, { headers: asAdmin });
    expect(created.status).toBe(201);
  });
});
