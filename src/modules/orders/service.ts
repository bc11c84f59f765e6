// The orders module's operations, by sub-resource.
export { getGuestOrder, getMyOrder, listMyOrders } from "./customer-orders";
export {
  enqueueOrderEmailInTx,
  ORDER_EMAIL_KINDS,
  type OrderEmailKind,
  orderEmailKey,
  sendOrderEmailJob,
} from "./jobs";
export { orderNumber, readAdminOrder, readOrder } from "./order-view";
export { assertCanBecome, canBecome, lockOrder, recordEventInTx, TRANSITIONS, transitionInTx } from "./status";
