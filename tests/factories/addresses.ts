import type { z } from "zod";
import type { Actor } from "../../src/lib/context";
import type { Address, CreateAddressInput } from "../../src/modules/addresses/schemas";
import * as addressBook from "../../src/modules/addresses/service";
import type { TestApp } from "../harness";

/** A valid address: the factory's defaults, and a body for tests of creating one. */
export const homeAddress = {
  name: "Ada Lovelace",
  line1: "12 Rue de Rivoli",
  city: "Paris",
  postalCode: "75001",
  country: "FR",
};

/** An address in `owner`'s book (a user, a caller or a ctx), made through the addresses service as them. */
export async function makeAddress(
  t: TestApp,
  owner: { actor: Actor },
  fields: Partial<z.input<typeof CreateAddressInput>> = {},
): Promise<Address> {
  return addressBook.createAddress(t.ctx(owner.actor), { ...homeAddress, ...fields });
}
