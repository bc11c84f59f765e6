import { defineModule } from "../../lib/module";
import * as op from "./operations";

/** Staff's view of accounts: list, read, change role, disable. */
export default defineModule({
  name: "customers",
  tags: [
    {
      name: "Admin: customers",
      description: "Customer accounts (staff, admin; reads also API keys with customers:read)",
    },
  ],
  operations: {
    admin: { customers: { list: op.listCustomers, get: op.getCustomer, update: op.updateCustomer } },
  },
});
