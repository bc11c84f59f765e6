import { orders } from "../../db/schema";
import { newId } from "../../lib/ids";
import { defineModule } from "../../lib/module";
import * as adminOp from "./admin-operations";
import * as op from "./operations";
import { ADMIN_ORDERS_TAG } from "./schemas";
import { orderEmail } from "./tasks/send-order-email";

/** Orders: the snapshot checkout writes, its state machine and events, read by their customer, guest or staff. */
export default defineModule({
  name: "orders",
  tags: [
    {
      name: "Orders",
      description:
        "Placed orders: a snapshot of lines, prices, addresses, shipping and promotions that later catalog edits never change, moving through pending_payment, paid, fulfilled and delivered (or cancelled and refunded), every transition an event.",
    },
    {
      name: ADMIN_ORDERS_TAG,
      description:
        "Every order for staff, admins and API keys (orders:read to read, orders:write to change): filtered lists, events, parcels and deliveries",
    },
  ],
  operations: {
    me: { orders: { list: op.listMyOrders, get: op.getMyOrder } },
    orders: { get: op.getGuestOrder },
    admin: {
      orders: {
        list: adminOp.listAdminOrders,
        get: adminOp.getAdminOrder,
        fulfill: adminOp.fulfillOrder,
        markDelivered: adminOp.markOrderDelivered,
      },
    },
  },
  tasks: [orderEmail],
  owned: {
    // An order with no lines, for the access table: reading it is all an owner(...) check needs.
    order: async (ctx) => {
      if (ctx.actor.kind !== "user") throw new Error("an owned order needs a signed-in actor");
      const id = newId();
      const address = {
        name: "Access Test",
        line1: "1 Main St",
        line2: null,
        city: "Springfield",
        region: null,
        postalCode: "12345",
        country: "US",
        phone: null,
      };
      await ctx.db.insert(orders).values({
        id,
        customerId: ctx.actor.userId,
        email: "access-test@example.test",
        currency: "USD",
        shippingAddress: address,
        billingAddress: address,
        paymentProvider: "manual",
      });
      return id;
    },
  },
});
