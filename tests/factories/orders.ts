import { newId } from "../../src/lib/ids";
import type { TestApp } from "../harness";

const NOWHERE = {
  name: "Test",
  line1: "1 Test Street",
  line2: null,
  city: "Testville",
  region: null,
  postalCode: "00000",
  country: "US",
  phone: null,
};

/**
 * An order row with no lines, straight into the table: for tests of another module that only
 * need an order to exist (a promotion's redemption refers to one). Orders worth reading are placed through checkout.
 */
export async function bareOrderId(t: TestApp, customerId: string | null = null): Promise<string> {
  const id = newId();
  const address = JSON.stringify(NOWHERE);
  await t.sql`insert into orders (id, customer_id, email, currency, shipping_address, billing_address, payment_provider)
    values (${id}, ${customerId}, 'bare-order@example.test', 'USD', ${address}::jsonb, ${address}::jsonb, 'manual')`;
  return id;
}
