import { and, asc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { users } from "../../db/schema";
import { requireAdmin, requireStaff } from "../../lib/access";
import type { Ctx, Role } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { after, newestFirst, pageKey, toPage } from "../../lib/pagination";
import { escapeLike } from "../../lib/sql-like";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { profileColumns, revokeAllSessions, toMe } from "../identity/service";
import { type Customer, CustomerIdInput, type CustomerPage, ListCustomersInput, UpdateCustomerInput } from "./schemas";

// Every column a Customer shows: the profile's, and whether it is disabled.
const shown = { ...profileColumns, disabledAt: users.disabledAt };
type ShownRow = Pick<typeof users.$inferSelect, keyof typeof shown>;

const toCustomer = (u: ShownRow): Customer => ({ ...toMe(u), disabled: u.disabledAt !== null });

/** Accounts of every role, newest first, optionally by role and by part of the email or name. Staff, or customers:read. */
export async function listCustomers(ctx: Ctx, raw: z.input<typeof ListCustomersInput>): Promise<CustomerPage> {
  requireStaff(ctx.actor, "customers:read");
  const input = ListCustomersInput.parse(raw);
  const pattern = input.q ? `%${escapeLike(input.q)}%` : undefined;
  const rows = await ctx.db
    .select({ ...shown, pageKey: pageKey(users) })
    .from(users)
    .where(
      and(
        after(users, input.cursor),
        input.role && eq(users.role, input.role),
        pattern ? or(ilike(users.email, pattern), ilike(users.name, pattern)) : undefined,
      ),
    )
    .orderBy(...newestFirst(users))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, toCustomer);
}

/** One account by id. Staff, or customers:read. */
export async function getCustomer(ctx: Ctx, raw: z.input<typeof CustomerIdInput>): Promise<Customer> {
  requireStaff(ctx.actor, "customers:read");
  const { id } = CustomerIdInput.parse(raw);
  const [row] = await ctx.db.select(shown).from(users).where(eq(users.id, id));
  if (!row) throw new AppError("NOT_FOUND", "Customer not found");
  return toCustomer(row);
}

/**
 * Changes an account's role (admins) or disables/enables it (staff for
 * customers, admins for anyone). Either change ends the account's sessions,
 * enabling aside. People only: no API key scope writes customers.
 */
export async function updateCustomer(ctx: Ctx, raw: z.input<typeof UpdateCustomerInput>): Promise<Customer> {
  requireStaff(ctx.actor);
  const { id, ...change } = UpdateCustomerInput.parse(raw);
  if (change.role !== undefined) requireAdmin(ctx.actor);
  // Nobody demotes or disables themselves here: the last admin cannot lock everyone out.
  if (ctx.actor.kind === "user" && ctx.actor.userId === id) {
    throw new AppError("FORBIDDEN", "You cannot change your own role or disable yourself");
  }
  return inTransaction(ctx, async (tx) => {
    const { target, actorRole } = await lockTargetAndActor(tx, id);
    assertMayChange(actorRole, target.role, change);
    const [row] = await tx.db
      .update(users)
      .set({
        ...(change.role !== undefined && { role: change.role }),
        ...(change.disabled !== undefined && {
          disabledAt: change.disabled ? sql`coalesce(${users.disabledAt}, now())` : null,
        }),
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, id))
      .returning(shown);
    // A new role gets a new session (the person signs in again); a disabled account keeps none.
    const roleChanged = change.role !== undefined && change.role !== target.role;
    if (roleChanged || change.disabled) await revokeAllSessions(tx, id);
    return toCustomer(row as ShownRow);
  });
}

/**
 * Locks the target and the acting person, in id order so that two calls never
 * deadlock, and reads the actor's role afresh: two admins demoting (or
 * disabling) each other at once cannot both succeed and leave no admin.
 */
async function lockTargetAndActor(tx: TxCtx, id: string): Promise<{ target: ShownRow; actorRole: Role }> {
  const actorId = tx.actor.kind === "user" ? tx.actor.userId : undefined;
  const rows = await tx.db
    .select(shown)
    .from(users)
    .where(inArray(users.id, actorId ? [id, actorId] : [id]))
    .orderBy(asc(users.id))
    .for("update");
  const target = rows.find((r) => r.id === id);
  if (!target) throw new AppError("NOT_FOUND", "Customer not found");
  if (!actorId) return { target, actorRole: "admin" }; // the system (seeds, scripts)
  const actor = rows.find((r) => r.id === actorId);
  return { target, actorRole: actor && !actor.disabledAt ? actor.role : "customer" };
}

function assertMayChange(actorRole: Role, targetRole: Role, change: { role?: Role; disabled?: boolean }): void {
  if (actorRole === "admin") return;
  if (actorRole !== "staff") throw new AppError("FORBIDDEN", "Only staff may do this");
  if (change.role !== undefined) throw new AppError("FORBIDDEN", "Only admins may change a role");
  if (targetRole !== "customer") {
    throw new AppError("FORBIDDEN", "Only admins may disable or enable staff and admins");
  }
}
