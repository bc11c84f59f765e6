import { customerProcedure, router } from "../../trpc/init";
import { Address, AddressIdInput, AddressList, CreateAddressInput, UpdateAddressInput } from "./schemas";
import * as addressBook from "./service";

/** The caller's address book, mounted as `me.addresses`. */
export const addressesRouter = router({
  list: customerProcedure.output(AddressList).query(({ ctx }) => addressBook.listAddresses(ctx)),
  get: customerProcedure
    .input(AddressIdInput)
    .output(Address)
    .query(({ ctx, input }) => addressBook.getAddress(ctx, input)),
  create: customerProcedure
    .input(CreateAddressInput)
    .output(Address)
    .mutation(({ ctx, input }) => addressBook.createAddress(ctx, input)),
  update: customerProcedure
    .input(UpdateAddressInput)
    .output(Address)
    .mutation(({ ctx, input }) => addressBook.updateAddress(ctx, input)),
  delete: customerProcedure.input(AddressIdInput).mutation(({ ctx, input }) => addressBook.deleteAddress(ctx, input)),
});
