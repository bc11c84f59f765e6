import type { OrderStatus, orderLines, orders } from "../../db/schema";
import { AppError, fieldError } from "../../lib/errors";
import type { HeldByRefunds } from "../orders/service";

// What a refund may give back (domain.md "Payments"): never more than was paid, less what was
// refunded and what refunds under way hold; by item, never more units than were bought.

type OrderRow = typeof orders.$inferSelect;
type LineRow = typeof orderLines.$inferSelect;

export interface RefundRequest {
  amount?: number;
  items?: { orderItemId: string; quantity: number }[];
  restock?: boolean;
}

const OPEN_FOR_REFUNDS: readonly OrderStatus[] = ["paid", "fulfilled", "delivered", "partially_refunded"];

/** The amount a refund gives back, or why it may not (409 for the order's state, 400 naming the field). */
export function refundAmount(
  order: OrderRow,
  lines: readonly LineRow[],
  held: HeldByRefunds,
  req: RefundRequest,
): number {
  const left = order.paidAmount - order.refundedAmount - held.amount;
  const cancelledWithMoney = order.status === "cancelled" && order.paidAmount > order.refundedAmount;
  if (!OPEN_FOR_REFUNDS.includes(order.status) && !cancelledWithMoney) {
    throw new AppError("CONFLICT", `An order that is ${order.status} has no payment to refund`, {
      orderStatus: order.status,
    });
  }
  if (left <= 0) throw new AppError("CONFLICT", "Nothing is left to refund", { refundable: 0 });
  if (req.restock && !req.items) throw fieldError("restock", "Restocking needs the items to put back");
  if (req.restock && order.status === "cancelled") {
    throw fieldError("restock", "A cancelled order holds no units to put back");
  }
  const byItems = req.items ? itemsAmount(lines, held, req.items) : left;
  const amount = req.amount ?? byItems;
  if (amount > left) {
    throw new AppError("VALIDATION_FAILED", `At most ${left} can be refunded`, {
      refundable: left,
      errors: [{ path: req.amount === undefined ? "items" : "amount", message: `At most ${left} can be refunded` }],
    });
  }
  if (amount < 1) throw fieldError("items", "These items cost nothing: there is nothing to refund");
  return amount;
}

/** The items' share of their lines' totals; each unit's share is fixed, so refunding a line unit by unit sums to its total. */
function itemsAmount(
  lines: readonly LineRow[],
  held: HeldByRefunds,
  items: NonNullable<RefundRequest["items"]>,
): number {
  const seen = new Set<string>();
  return items.reduce((sum, item, i) => {
    const line = lines.find((l) => l.id === item.orderItemId);
    if (!line) throw fieldError(`items.${i}.orderItemId`, "Not an item of this order");
    if (seen.has(line.id)) throw fieldError(`items.${i}.orderItemId`, "Listed twice");
    seen.add(line.id);
    const taken = line.refundedQuantity + (held.units.get(line.id) ?? 0);
    if (item.quantity > line.quantity - taken) {
      throw fieldError(`items.${i}.quantity`, `At most ${line.quantity - taken} of this item can be refunded`);
    }
    return sum + unitsShare(line, taken, item.quantity);
  }, 0);
}

/** Units `taken + 1 .. taken + quantity` of a line, priced as cumulative rounded shares of its total. */
export const unitsShare = (line: Pick<LineRow, "total" | "quantity">, taken: number, quantity: number): number =>
  Math.round((line.total * (taken + quantity)) / line.quantity) - Math.round((line.total * taken) / line.quantity);
