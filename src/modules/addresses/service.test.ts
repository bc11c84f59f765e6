import { describe, expect, test } from "bun:test";
import { serviceError } from "../../../tests/errors";
import { homeAddress, makeAddress } from "../../../tests/factories/addresses";
import { useTestApp } from "../../../tests/harness";
import { toAppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import * as addressBook from "./service";

const t = await useTestApp();

/** A new customer's service context (a real user, so foreign keys hold), with their id. */
const customer = async () => {
  const u = await t.user();
  return { ...t.as(u).ctx, userId: u.id };
};

/** Opens every pooled connection, so concurrent calls really overlap instead of queueing for a connection. */
const warmPool = () => Promise.all(Array.from({ length: 5 }, () => t.sql`select pg_sleep(0.02)`));

const countOf = async (userId: string) => {
  const [row] = await t.sql`select count(*)::int as n from addresses where user_id = ${userId}`;
  return row?.n as number;
};

const defaultsOf = async (userId: string) => {
  const rows = await t.sql`select id, is_default_shipping, is_default_billing from addresses where user_id = ${userId}`;
  return {
    shipping: rows.filter((r) => r.is_default_shipping).map((r) => r.id),
    billing: rows.filter((r) => r.is_default_billing).map((r) => r.id),
  };
};

describe("createAddress", () => {
  test("stores the address for the caller, trimmed, with the country upper-cased", async () => {
    const me = await customer();
    const created = await addressBook.createAddress(me, {
      ...homeAddress,
      name: "  Ada Lovelace ",
      country: "fr",
      line2: "Bâtiment B",
      phone: "+33 1 23 45 67 89",
    });
    expect(created).toMatchObject({
      name: "Ada Lovelace",
      line2: "Bâtiment B",
      region: null,
      country: "FR",
      phone: "+33 1 23 45 67 89",
    });
    expect(created).not.toHaveProperty("userId");
    const [row] = await t.sql`select user_id, country from addresses where id = ${created.id}`;
    expect(row).toEqual({ user_id: me.userId, country: "FR" });
  });

  test("makes the first address the default for shipping and billing", async () => {
    const me = await customer();
    const first = await addressBook.createAddress(me, homeAddress);
    const second = await addressBook.createAddress(me, { ...homeAddress, name: "Work" });
    expect(first).toMatchObject({ isDefaultShipping: true, isDefaultBilling: true });
    expect(second).toMatchObject({ isDefaultShipping: false, isDefaultBilling: false });
  });

  test("a new default shipping address takes the flag from the old one and leaves billing alone", async () => {
    const me = await customer();
    const first = await addressBook.createAddress(me, homeAddress);
    const second = await addressBook.createAddress(me, { ...homeAddress, name: "Work", isDefaultShipping: true });
    expect(await defaultsOf(me.userId)).toEqual({ shipping: [second.id], billing: [first.id] });
  });

  test("stores blank optional lines as null", async () => {
    const me = await customer();
    const created = await addressBook.createAddress(me, { ...homeAddress, line2: "  ", region: "", phone: "" });
    expect(created).toMatchObject({ line2: null, region: null, phone: null });
  });

  test("refuses the 21st address with CONFLICT and writes nothing", async () => {
    const me = await customer();
    for (let i = 0; i < 20; i++) await addressBook.createAddress(me, { ...homeAddress, name: `Address ${i}` });
    const err = await serviceError(addressBook.createAddress(me, { ...homeAddress, name: "One too many" }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toBe("An address book holds at most 20 addresses");
    expect(await countOf(me.userId)).toBe(20);
  });

  test("lets exactly one of five concurrent creates take the 20th place", async () => {
    const me = await customer();
    for (let i = 0; i < 19; i++) await addressBook.createAddress(me, { ...homeAddress, name: `Address ${i}` });
    await warmPool();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => addressBook.createAddress(me, { ...homeAddress, name: `Racer ${i}` })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect(toAppError(r.reason).error.code).toBe("CONFLICT");
    }
    expect(await countOf(me.userId)).toBe(20);
  });

  test("gives only one of two concurrent first addresses the defaults", async () => {
    const me = await customer();
    await warmPool();
    await Promise.all([
      addressBook.createAddress(me, homeAddress),
      addressBook.createAddress(me, { ...homeAddress, name: "Work" }),
    ]);
    const defaults = await defaultsOf(me.userId);
    expect(defaults.shipping).toHaveLength(1);
    expect(defaults.billing).toEqual(defaults.shipping);
  });

  test("counts each customer's book on its own", async () => {
    const full = await customer();
    for (let i = 0; i < 20; i++) await addressBook.createAddress(full, { ...homeAddress, name: `Address ${i}` });
    const other = await customer();
    expect((await addressBook.createAddress(other, homeAddress)).isDefaultShipping).toBe(true);
  });

  test("refuses a country that is not an ISO 3166-1 code, naming country", async () => {
    const me = await customer();
    for (const country of ["France", "XX", "F"]) {
      await expect(addressBook.createAddress(me, { ...homeAddress, country })).rejects.toThrow(/country/);
    }
    expect(await countOf(me.userId)).toBe(0);
  });

  test("rejects fields outside the schema (no mass assignment)", async () => {
    const me = await customer();
    const other = await customer();
    const input = { ...homeAddress, userId: other.userId, id: newId() } as never;
    await expect(addressBook.createAddress(me, input)).rejects.toThrow(/Unrecognized key/);
    expect(await countOf(other.userId)).toBe(0);
  });

  test("refuses a guest with UNAUTHENTICATED and an API key with FORBIDDEN", async () => {
    expect((await serviceError(addressBook.createAddress(t.ctx({ kind: "guest" }), homeAddress))).code).toBe(
      "UNAUTHENTICATED",
    );
    const key = (await t.asKey(["customers:read"])).ctx;
    expect((await serviceError(addressBook.createAddress(key, homeAddress))).code).toBe("FORBIDDEN");
  });
});

describe("listAddresses", () => {
  test("lists only the caller's addresses, oldest first, with a null cursor", async () => {
    const me = await customer();
    const other = await customer();
    const a = await makeAddress(t, me, { name: "A" });
    const b = await makeAddress(t, me, { name: "B" });
    await makeAddress(t, other, { name: "Not mine" });
    const list = await addressBook.listAddresses(me);
    expect(list.items.map((x) => x.id)).toEqual([a.id, b.id]);
    expect(list.nextCursor).toBeNull();
  });

  test("an empty book is an empty list", async () => {
    expect(await addressBook.listAddresses(await customer())).toEqual({ items: [], nextCursor: null });
  });
});

describe("getAddress", () => {
  test("returns the caller's address", async () => {
    const me = await customer();
    const created = await makeAddress(t, me);
    expect(await addressBook.getAddress(me, { id: created.id })).toEqual(created);
  });

  test("answers NOT_FOUND alike for another customer's address and a missing one", async () => {
    const me = await customer();
    const theirs = await makeAddress(t, await customer());
    const foreign = await serviceError(addressBook.getAddress(me, { id: theirs.id }));
    const missing = await serviceError(addressBook.getAddress(me, { id: newId() }));
    expect(foreign).toMatchObject({ code: "NOT_FOUND", message: "Address not found" });
    expect(missing).toMatchObject({ code: foreign.code, message: foreign.message, details: foreign.details });
  });
});

describe("updateAddress", () => {
  test("changes the given fields, clears nullable ones with null, and moves updatedAt", async () => {
    const me = await customer();
    const created = await makeAddress(t, me, { line2: "Flat 3", phone: "+44 20 7946 0000" });
    const updated = await addressBook.updateAddress(me, { id: created.id, city: "Lyon", line2: null, country: "gb" });
    expect(updated).toMatchObject({ city: "Lyon", line2: null, country: "GB", phone: "+44 20 7946 0000" });
    expect(updated.name).toBe(created.name);
    expect(updated.createdAt).toBe(created.createdAt);
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
  });

  test("making an address the default billing one clears the flag on the previous default", async () => {
    const me = await customer();
    const first = await makeAddress(t, me);
    const second = await makeAddress(t, me, { name: "Work" });
    const updated = await addressBook.updateAddress(me, { id: second.id, isDefaultBilling: true });
    expect(updated).toMatchObject({ isDefaultBilling: true, isDefaultShipping: false });
    expect(await defaultsOf(me.userId)).toEqual({ shipping: [first.id], billing: [second.id] });
  });

  test("unsetting a default leaves the customer without one", async () => {
    const me = await customer();
    const first = await makeAddress(t, me);
    await addressBook.updateAddress(me, { id: first.id, isDefaultShipping: false });
    expect(await defaultsOf(me.userId)).toEqual({ shipping: [], billing: [first.id] });
  });

  test("another customer's address is NOT_FOUND and stays unchanged", async () => {
    const me = await customer();
    const theirs = await makeAddress(t, await customer());
    const err = await serviceError(
      addressBook.updateAddress(me, { id: theirs.id, city: "Stolen", isDefaultShipping: true }),
    );
    expect(err).toMatchObject({ code: "NOT_FOUND", message: "Address not found" });
    const [row] = await t.sql`select city, is_default_shipping from addresses where id = ${theirs.id}`;
    expect(row).toEqual({ city: "Paris", is_default_shipping: true });
  });

  test("refuses an empty change with VALIDATION_FAILED", async () => {
    const me = await customer();
    const created = await makeAddress(t, me);
    expect((await serviceError(addressBook.updateAddress(me, { id: created.id }))).code).toBe("VALIDATION_FAILED");
  });

  test("rejects userId in the change (no moving an address to another book)", async () => {
    const me = await customer();
    const other = await customer();
    const created = await makeAddress(t, me);
    const input = { id: created.id, userId: other.userId } as never;
    await expect(addressBook.updateAddress(me, input)).rejects.toThrow(/Unrecognized key/);
    expect(await countOf(me.userId)).toBe(1);
  });
});

describe("deleteAddress", () => {
  test("removes the address; removing the default leaves no default", async () => {
    const me = await customer();
    const first = await makeAddress(t, me);
    const second = await makeAddress(t, me, { name: "Work" });
    await addressBook.deleteAddress(me, { id: first.id });
    expect((await addressBook.listAddresses(me)).items.map((a) => a.id)).toEqual([second.id]);
    expect(await defaultsOf(me.userId)).toEqual({ shipping: [], billing: [] });
  });

  test("another customer's address is NOT_FOUND and survives", async () => {
    const me = await customer();
    const theirs = await makeAddress(t, await customer());
    expect((await serviceError(addressBook.deleteAddress(me, { id: theirs.id }))).code).toBe("NOT_FOUND");
    const [row] = await t.sql`select count(*)::int as n from addresses where id = ${theirs.id}`;
    expect(row?.n).toBe(1);
  });

  test("a missing address is NOT_FOUND", async () => {
    const me = await customer();
    expect((await serviceError(addressBook.deleteAddress(me, { id: newId() }))).code).toBe("NOT_FOUND");
  });
});
