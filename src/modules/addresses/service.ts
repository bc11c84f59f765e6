import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import { addresses, users } from "../../db/schema";
import { requireUser } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import {
  type Address,
  AddressIdInput,
  type AddressList,
  CreateAddressInput,
  MAX_ADDRESSES,
  UpdateAddressInput,
} from "./schemas";

type AddressRow = typeof addresses.$inferSelect;

const toAddress = ({ userId: _, ...row }: AddressRow): Address => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

// Every query below filters by the caller's user id: another customer's address
// answers exactly as a missing one does, so ids reveal nothing.
const notFound = () => new AppError("NOT_FOUND", "Address not found");
const own = (userId: string, id: string) => and(eq(addresses.id, id), eq(addresses.userId, userId));

/** The caller's address book, oldest first. */
export async function listAddresses(ctx: Ctx): Promise<AddressList> {
  const userId = requireUser(ctx.actor);
  const rows = await ctx.db
    .select()
    .from(addresses)
    .where(eq(addresses.userId, userId))
    .orderBy(asc(addresses.createdAt), asc(addresses.id));
  return { items: rows.map(toAddress), nextCursor: null };
}

/** One of the caller's addresses. */
export async function getAddress(ctx: Ctx, raw: z.input<typeof AddressIdInput>): Promise<Address> {
  const userId = requireUser(ctx.actor);
  const { id } = AddressIdInput.parse(raw);
  const [row] = await ctx.db.select().from(addresses).where(own(userId, id));
  if (!row) throw notFound();
  return toAddress(row);
}

/** Adds an address to the caller's book (at most 20); the first one becomes the default for both uses. */
export async function createAddress(ctx: Ctx, raw: z.input<typeof CreateAddressInput>): Promise<Address> {
  const userId = requireUser(ctx.actor);
  const input = CreateAddressInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    await lockAddressBook(tx, userId);
    const count = await tx.db.$count(addresses, eq(addresses.userId, userId));
    if (count >= MAX_ADDRESSES) {
      throw new AppError("CONFLICT", `An address book holds at most ${MAX_ADDRESSES} addresses`, {
        limit: MAX_ADDRESSES,
      });
    }
    // A shopper's first address is where they ship and bill until they say otherwise.
    const first = count === 0;
    const values = {
      ...input,
      id: newId(),
      userId,
      isDefaultShipping: first || input.isDefaultShipping,
      isDefaultBilling: first || input.isDefaultBilling,
    };
    await clearOtherDefaults(tx, userId, values.id, values);
    const [row] = await tx.db.insert(addresses).values(values).returning();
    return toAddress(row as AddressRow);
  });
}

/** Changes some fields of one of the caller's addresses; a default flag set here moves from the others. */
export async function updateAddress(ctx: Ctx, raw: z.input<typeof UpdateAddressInput>): Promise<Address> {
  const userId = requireUser(ctx.actor);
  const { id, ...patch } = UpdateAddressInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    await lockAddressBook(tx, userId);
    const [found] = await tx.db.select({ id: addresses.id }).from(addresses).where(own(userId, id));
    if (!found) throw notFound();
    // Checked after ownership, so another customer's id is a 404 whatever the body says.
    if (Object.values(patch).every((v) => v === undefined)) {
      throw new AppError("VALIDATION_FAILED", "Give at least one field to change", {
        errors: [{ path: "(root)", message: "Give at least one field to change" }],
      });
    }
    await clearOtherDefaults(tx, userId, id, patch);
    const [row] = await tx.db
      .update(addresses)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(own(userId, id))
      .returning();
    return toAddress(row as AddressRow);
  });
}

/** Removes one of the caller's addresses. Removing a default leaves none: the shopper picks the next. */
export async function deleteAddress(ctx: Ctx, raw: z.input<typeof AddressIdInput>): Promise<void> {
  const userId = requireUser(ctx.actor);
  const { id } = AddressIdInput.parse(raw);
  const deleted = await ctx.db.delete(addresses).where(own(userId, id)).returning({ id: addresses.id });
  if (deleted.length === 0) throw notFound();
}

/**
 * Locks the customer's row so that writers to one address book take turns: without it two
 * concurrent creates could both count 19 and store 21, and two new defaults would race into
 * the partial unique index. NO KEY UPDATE, not UPDATE: it does not block inserts elsewhere
 * that merely reference the user (sessions at sign-in).
 */
async function lockAddressBook(tx: TxCtx, userId: string): Promise<void> {
  const [user] = await tx.db.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("no key update");
  if (!user) throw new AppError("UNAUTHENTICATED", "This account no longer exists");
}

/** Clears each default flag that `flags` sets on the caller's other addresses, first, so the partial unique index holds. */
async function clearOtherDefaults(
  tx: TxCtx,
  userId: string,
  keepId: string,
  flags: { isDefaultShipping?: boolean; isDefaultBilling?: boolean },
): Promise<void> {
  const others = and(eq(addresses.userId, userId), ne(addresses.id, keepId));
  if (flags.isDefaultShipping) {
    await tx.db
      .update(addresses)
      .set({ isDefaultShipping: false, updatedAt: sql`now()` })
      .where(and(others, eq(addresses.isDefaultShipping, true)));
  }
  if (flags.isDefaultBilling) {
    await tx.db
      .update(addresses)
      .set({ isDefaultBilling: false, updatedAt: sql`now()` })
      .where(and(others, eq(addresses.isDefaultBilling, true)));
  }
}
