import type { z } from "zod";
import type { Ctx } from "../../../lib/context";
import type { CreateShippingMethodInput, ShippingMethod } from "../schemas";
import * as shipping from "../service";

export type NewMethod = z.input<typeof CreateShippingMethodInput>;

/** A valid create body: a flat US rate, with `fields` over it. */
export const methodBody = (fields: Partial<NewMethod> = {}): NewMethod => ({
  name: "Standard",
  countries: ["US"],
  rate: { kind: "flat", amount: 599 },
  ...fields,
});

/** A method made through the service by the system actor. */
export const makeMethod = (ctx: Ctx, fields: Partial<NewMethod> = {}): Promise<ShippingMethod> =>
  shipping.createShippingMethod({ ...ctx, actor: { kind: "system", name: "test" } }, methodBody(fields));
