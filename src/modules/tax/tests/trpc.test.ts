import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const api = staff.trpc.admin.taxRates;
const MISSING = "01a20160-0000-7000-8000-0000000000aa";

describe("admin.taxRates over tRPC", () => {
  test("create, list, get, update and delete a rate", async () => {
    const created = await api.create.mutate({
      country: "gb",
      name: "VAT",
      rateBasisPoints: 2000,
      appliesToShipping: true,
    });
    expect(created).toMatchObject({ country: "GB", region: null, appliesToShipping: true });
    expect(await api.list.query({ country: "GB" })).toEqual({ items: [created], nextCursor: null });
    expect(await api.get.query({ id: created.id })).toEqual(created);
    const updated = await api.update.mutate({ id: created.id, name: "Standard VAT", region: "eng" });
    expect(updated).toMatchObject({ name: "Standard VAT", region: "ENG", rateBasisPoints: 2000 });
    await api.delete.mutate({ id: created.id });
    expect((await trpcError(api.get.query({ id: created.id }))).data).toMatchObject({
      code: "NOT_FOUND",
      httpStatus: 404,
    });
  });

  test("a duplicate is CONFLICT naming region; an unknown id NOT_FOUND", async () => {
    await api.create.mutate({ country: "IE", name: "VAT", rateBasisPoints: 2300 });
    const dup = await trpcError(api.create.mutate({ country: "IE", region: null, name: "VAT", rateBasisPoints: 1 }));
    expect(dup.data).toMatchObject({ code: "CONFLICT", httpStatus: 409, errors: [{ path: "region" }] });
    for (const call of [api.update.mutate({ id: MISSING, name: "x" }), api.delete.mutate({ id: MISSING })]) {
      expect((await trpcError(call)).data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    }
  });

  test("bad input is VALIDATION_FAILED naming each field", async () => {
    const err = await trpcError(
      api.create.mutate({ country: "XX", region: "toolong", name: "", rateBasisPoints: 20_000, extra: 1 } as never),
    );
    expect(err.data).toMatchObject({ code: "VALIDATION_FAILED", httpStatus: 400 });
    expect(err.data.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ["country", "extra", "name", "rateBasisPoints", "region"].sort(),
    );
  });

  test("customers and API keys are FORBIDDEN, anonymous callers UNAUTHENTICATED", async () => {
    const customer = t.as(await t.user());
    const key = await t.asKey(["catalog:write"]);
    for (const caller of [customer, key]) {
      expect((await trpcError(caller.trpc.admin.taxRates.list.query({}))).data).toMatchObject({
        code: "FORBIDDEN",
        httpStatus: 403,
      });
      const write = caller.trpc.admin.taxRates.create.mutate({ country: "US", name: "x", rateBasisPoints: 1 });
      expect((await trpcError(write)).data.code).toBe("FORBIDDEN");
    }
    const anonymous = await trpcError(t.trpc.admin.taxRates.get.query({ id: MISSING }));
    expect(anonymous.data).toMatchObject({ code: "UNAUTHENTICATED", httpStatus: 401 });
  });
});
