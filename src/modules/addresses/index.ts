import { defineModule } from "../../lib/module";
import * as op from "./operations";
import * as addressBook from "./service";

/** A customer's address book. */
export default defineModule({
  name: "addresses",
  operations: {
    me: {
      addresses: {
        list: op.listAddresses,
        get: op.getAddress,
        create: op.createAddress,
        update: op.updateAddress,
        delete: op.deleteAddress,
      },
    },
  },
  owned: {
    address: async (ctx) =>
      (
        await addressBook.createAddress(ctx, {
          name: "Home",
          line1: "1 Main St",
          city: "Springfield",
          postalCode: "12345",
          country: "US",
        })
      ).id,
  },
});
