import { router, staffProcedure } from "../../trpc/init";
import { Customer, CustomerIdInput, CustomerPage, ListCustomersInput, UpdateCustomerInput } from "./schemas";
import * as customers from "./service";

export const customersRouter = router({
  list: staffProcedure
    .input(ListCustomersInput)
    .output(CustomerPage)
    .query(({ ctx, input }) => customers.listCustomers(ctx, input)),
  get: staffProcedure
    .input(CustomerIdInput)
    .output(Customer)
    .query(({ ctx, input }) => customers.getCustomer(ctx, input)),
  update: staffProcedure
    .input(UpdateCustomerInput)
    .output(Customer)
    .mutation(({ ctx, input }) => customers.updateCustomer(ctx, input)),
});
