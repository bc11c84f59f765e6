import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../tests/errors";
import { homeAddress, makeAddress } from "../../../tests/factories/addresses";
import { useTestApp } from "../../../tests/harness";
import { newId } from "../../lib/ids";

const t = await useTestApp();

/** A new signed-in customer, as a caller (`trpc` is their client), with their id. */
const customer = async () => {
  const u = await t.user();
  return { ...t.as(u), id: u.id };
};

const rowOf = async (id: string) => {
  const [row] = await t.sql`select user_id, name, city, is_default_shipping from addresses where id = ${id}`;
  return row;
};

describe("me.addresses over tRPC", () => {
  test("create, list, get, update and delete the caller's own address", async () => {
    const { trpc } = await customer();
    const created = await trpc.me.addresses.create.mutate({ ...homeAddress, country: "fr" });
    expect(created).toMatchObject({ country: "FR", isDefaultShipping: true, isDefaultBilling: true });

    const list = await trpc.me.addresses.list.query();
    expect(list).toEqual({ items: [created], nextCursor: null });
    expect(await trpc.me.addresses.get.query({ id: created.id })).toEqual(created);

    const updated = await trpc.me.addresses.update.mutate({
      id: created.id,
      city: "Lyon",
      phone: "+33 4 72 00 00 00",
    });
    expect(updated).toMatchObject({ id: created.id, city: "Lyon", phone: "+33 4 72 00 00 00" });

    await trpc.me.addresses.delete.mutate({ id: created.id });
    expect((await trpc.me.addresses.list.query()).items).toEqual([]);
  });

  test("making a second address the default shipping one clears the first's flag", async () => {
    const { trpc } = await customer();
    const first = await trpc.me.addresses.create.mutate(homeAddress);
    const second = await trpc.me.addresses.create.mutate({ ...homeAddress, name: "Work" });
    await trpc.me.addresses.update.mutate({ id: second.id, isDefaultShipping: true });
    const byId = new Map((await trpc.me.addresses.list.query()).items.map((a) => [a.id, a]));
    expect(byId.get(first.id)).toMatchObject({ isDefaultShipping: false, isDefaultBilling: true });
    expect(byId.get(second.id)).toMatchObject({ isDefaultShipping: true, isDefaultBilling: false });
  });

  test("the 21st address is CONFLICT (409) and is not stored", async () => {
    const me = await customer();
    for (let i = 0; i < 20; i++) await me.trpc.me.addresses.create.mutate({ ...homeAddress, name: `Address ${i}` });
    const err = await trpcError(me.trpc.me.addresses.create.mutate({ ...homeAddress, name: "One too many" }));
    expect(err.data).toMatchObject({ code: "CONFLICT", httpStatus: 409 });
    expect(err.message).toBe("An address book holds at most 20 addresses");
    const [row] = await t.sql`select count(*)::int as n from addresses where user_id = ${me.id}`;
    expect(row?.n).toBe(20);
  });
});

describe("me.addresses validation", () => {
  test("a country name instead of a code is VALIDATION_FAILED naming country", async () => {
    const { trpc } = await customer();
    const err = await trpcError(trpc.me.addresses.create.mutate({ ...homeAddress, country: "France" }));
    expect(err.data.code).toBe("VALIDATION_FAILED");
    expect(err.data.errors).toEqual([{ path: "country", message: "A two-letter ISO 3166-1 country code, such as FR" }]);
  });

  test("unknown fields in create and update are refused, each named", async () => {
    const me = await customer();
    const other = await customer();
    const created = await makeAddress(t, me);
    const create = await trpcError(
      me.trpc.me.addresses.create.mutate({ ...homeAddress, userId: other.id, id: newId() } as typeof homeAddress),
    );
    expect(create.data.errors.map((e: { path: string }) => e.path).sort()).toEqual(["id", "userId"]);
    const update = await trpcError(
      me.trpc.me.addresses.update.mutate({ id: created.id, userId: other.id } as { id: string }),
    );
    expect(update.data.errors).toEqual([{ path: "userId", message: "Unknown field: userId" }]);
    expect((await rowOf(created.id))?.user_id).toBe(me.id);
  });

  test("an id that is not a uuid is VALIDATION_FAILED naming id", async () => {
    const { trpc } = await customer();
    const err = await trpcError(trpc.me.addresses.get.query({ id: "not-a-uuid" }));
    expect(err.data).toMatchObject({ code: "VALIDATION_FAILED", httpStatus: 400 });
    expect(err.data.errors.map((e: { path: string }) => e.path)).toEqual(["id"]);
  });
});

describe("me.addresses ownership and access", () => {
  test("another customer's address is NOT_FOUND on get, update and delete, and stays as it was", async () => {
    const owner = await customer();
    const theirs = await makeAddress(t, owner);
    const before = await rowOf(theirs.id);
    const { trpc } = await customer();

    const missing = await trpcError(trpc.me.addresses.get.query({ id: newId() }));
    const attempts = [
      trpc.me.addresses.get.query({ id: theirs.id }),
      trpc.me.addresses.update.mutate({ id: theirs.id, city: "Stolen", isDefaultShipping: false }),
      trpc.me.addresses.delete.mutate({ id: theirs.id }),
    ];
    for (const attempt of attempts) {
      const err = await trpcError(attempt);
      expect(err.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
      expect(err.message).toBe("Address not found");
      expect(err.message).toBe(missing.message);
      expect(err.data.code).toBe(missing.data.code);
    }
    expect(await rowOf(theirs.id)).toEqual(before);
  });

  test("a guest is UNAUTHENTICATED (401) on every procedure", async () => {
    const id = newId();
    const calls = [
      t.trpc.me.addresses.list.query(),
      t.trpc.me.addresses.get.query({ id }),
      t.trpc.me.addresses.create.mutate(homeAddress),
      t.trpc.me.addresses.update.mutate({ id, city: "Lyon" }),
      t.trpc.me.addresses.delete.mutate({ id }),
    ];
    for (const call of calls) {
      const err = await trpcError(call);
      expect(err.data).toMatchObject({ code: "UNAUTHENTICATED", httpStatus: 401 });
    }
  });
});
