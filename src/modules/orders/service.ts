// The orders module's operations, by sub-resource.
export { getAdminOrder, listAdminOrders } from "./admin-orders";
export { getGuestOrder, getMyOrder, listMyOrders, placedByCaller, tokenHeldByCaller } from "./customer-orders";
export { fulfillOrder, markOrderDelivered } from "./fulfillments";
export {
  enqueueOrderEmailInTx,
  orderEmailKey,
  sendOrderEmailJob,
} from "./jobs";
export { sendOrderEmail } from "./order-emails";
export { orderNumber, readAdminOrder, readOrder, toOrder } from "./order-view";
export { type HeldByRefunds, heldByPendingRefundsInTx } from "./pending-refunds";
export { assertCanBecome, lockOrder, recordEventInTx, TRANSITIONS, transitionInTx } from "./status";
