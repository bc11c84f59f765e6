import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { useTestApp } from "../../../../tests/harness";
import { methodBody } from "./methods";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const api = staff.trpc.admin.shippingMethods;
const MISSING = "01a20160-0000-7000-8000-0000000000aa";

describe("admin.shippingMethods over tRPC", () => {
  test("create, list, get, update and delete a method", async () => {
    const created = await api.create.mutate(
      methodBody({
        name: "Parcel",
        countries: ["se", "NO"],
        rate: {
          kind: "weight",
          bands: [
            { maxGrams: 1000, amount: 500 },
            { maxGrams: 5000, amount: 900 },
          ],
        },
        position: 3,
      }),
    );
    expect(created).toMatchObject({ countries: ["SE", "NO"], position: 3, enabled: true });

    const listed = await api.list.query({ country: "NO", enabled: true });
    expect(listed).toEqual({ items: [created], nextCursor: null });
    expect((await api.list.query({ country: "NO", enabled: false })).items).toEqual([]);
    expect(await api.get.query({ id: created.id })).toEqual(created);

    const updated = await api.update.mutate({ id: created.id, rate: { kind: "flat", amount: 1200 }, enabled: false });
    expect(updated).toMatchObject({ rate: { kind: "flat", amount: 1200 }, enabled: false });

    await api.delete.mutate({ id: created.id });
    const gone = await trpcError(api.get.query({ id: created.id }));
    expect(gone.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
  });

  test("an unknown id is NOT_FOUND on update and delete", async () => {
    for (const call of [api.update.mutate({ id: MISSING, name: "x" }), api.delete.mutate({ id: MISSING })]) {
      expect((await trpcError(call)).data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    }
  });

  test("bad input is VALIDATION_FAILED naming each field", async () => {
    const cases: [unknown, string[]][] = [
      [methodBody({ rate: { kind: "flat", amount: -5 } }), ["rate.amount"]],
      [
        methodBody({
          rate: {
            kind: "weight",
            bands: [
              { maxGrams: 900, amount: 1 },
              { maxGrams: 100, amount: 2 },
            ],
          },
        }),
        ["rate.bands.1.maxGrams"],
      ],
      [{ ...methodBody(), enabled: "yes", role: "admin" }, ["enabled", "role"]],
      [methodBody({ countries: ["Sweden"] }), ["countries.0"]],
    ];
    for (const [input, paths] of cases) {
      const err = await trpcError(api.create.mutate(input as never));
      expect(err.data).toMatchObject({ code: "VALIDATION_FAILED", httpStatus: 400 });
      expect(err.data.errors.map((e: { path: string }) => e.path)).toEqual(paths);
    }
  });

  test("customers and API keys are FORBIDDEN, anonymous callers UNAUTHENTICATED", async () => {
    const customer = t.as(await t.user());
    const key = await t.asKey(["catalog:write"]);
    for (const caller of [customer, key]) {
      const err = await trpcError(caller.trpc.admin.shippingMethods.list.query({}));
      expect(err.data).toMatchObject({ code: "FORBIDDEN", httpStatus: 403 });
      const write = await trpcError(caller.trpc.admin.shippingMethods.create.mutate(methodBody()));
      expect(write.data.code).toBe("FORBIDDEN");
    }
    const anonymous = await trpcError(t.trpc.admin.shippingMethods.list.query({}));
    expect(anonymous.data).toMatchObject({ code: "UNAUTHENTICATED", httpStatus: 401 });
  });
});
