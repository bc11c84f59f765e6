import { describe, expect, test } from "bun:test";
import { trpcError } from "../../tests/errors";
import { useTestApp } from "../../tests/harness";

const t = await useTestApp();
const admin = t.as(await t.user("admin"));
for (let i = 0; i < 17; i++) await t.user();

const paths = (body: { errors: { path: string }[] }) => body.errors.map((e) => e.path);
const cursorOf = (keyset: unknown) => Buffer.from(JSON.stringify(keyset)).toString("base64url");
const ID = "01a20160-0000-7000-8000-000000000000";

describe("limit in a query string", () => {
  test("decimal digits are read as the number they spell", async () => {
    const res = await admin.rest.get("/api/v1/admin/customers?limit=16");
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(16);
  });

  test("hex, exponents, signs, spaces and decimals are a 400 naming limit", async () => {
    for (const limit of ["0x10", "1e1", "%205", "5%20", "5.0", "+5", "-0", "0b101", "", "1_0"]) {
      const res = await admin.rest.get(`/api/v1/admin/customers?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(["limit"]);
      expect(res.body.errors[0].message).toBe("An integer in decimal digits");
    }
  });

  test("over tRPC a number passes and text is refused the same way", async () => {
    expect((await admin.trpc.admin.customers.list.query({ limit: 16 })).items).toHaveLength(16);
    const err = await trpcError(admin.trpc.admin.customers.list.query({ limit: "0x10" as never }));
    expect(err.data.code).toBe("VALIDATION_FAILED");
    expect(paths(err.data as never)).toEqual(["limit"]);
  });
});

describe("a forged cursor is a 400 naming cursor, never a 500", () => {
  const forged = [
    { createdAt: "0000-01-01T00:00:00.000000Z", id: ID }, // Postgres has no year 0
    { createdAt: "0000-01-01T00:00:00Z", id: ID },
    { createdAt: "99999-01-01T00:00:00.000000Z", id: ID },
    { createdAt: "2023-02-29T00:00:00.000000Z", id: ID },
    { createdAt: "2024-01-01T24:00:00.000000Z", id: ID },
    { createdAt: "2024-01-01T00:00:00.000000+14:00", id: ID },
    { createdAt: "2024-01-01T00:00:00.000000Z", id: "not-a-uuid" },
    { createdAt: "2024-01-01T00:00:00.000000Z", id: ID, role: "admin" },
  ].map(cursorOf);

  for (const path of ["/api/v1/admin/customers", "/api/v1/admin/api-keys"]) {
    test(`on GET ${path}`, async () => {
      for (const cursor of forged) {
        const res = await admin.rest.get(`${path}?cursor=${cursor}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ path: "cursor" }] });
      }
    });
  }

  test("on tRPC's admin.customers.list and admin.apiKeys.list", async () => {
    for (const cursor of forged) {
      for (const call of [
        admin.trpc.admin.customers.list.query({ cursor }),
        admin.trpc.admin.apiKeys.list.query({ cursor }),
      ]) {
        const err = await trpcError(call);
        expect(err.data.httpStatus).toBe(400);
        expect(paths(err.data as never)).toEqual(["cursor"]);
      }
    }
  });

  test("a cursor the list gave still pages on, down to the microsecond", async () => {
    const first = await admin.rest.get("/api/v1/admin/customers?limit=10");
    const second = await admin.rest.get(`/api/v1/admin/customers?limit=10&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(8);
    const ids = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(18);
  });
});
