import { z } from "@hono/zod-openapi";
import { IdParam } from "../../lib/id-param";
import { PageQuery, page } from "../../lib/pagination";
import { Text } from "../../lib/text";
import { Me, Role } from "../identity/schemas";

export const Customer = Me.extend({
  disabled: z.boolean().openapi({ description: "A disabled account cannot sign in and has no sessions" }),
}).openapi("Customer");
export type Customer = z.infer<typeof Customer>;

export const CustomerPage = page(Customer).openapi("CustomerPage");
export type CustomerPage = z.infer<typeof CustomerPage>;

export const ListCustomersInput = PageQuery.extend({
  q: Text.trim().max(200).optional().openapi({ description: "Part of the email or name, any case", example: "ada" }),
  role: Role.optional(),
});

export const CustomerIdInput = IdParam;

const Change = z.strictObject({
  role: Role.optional().openapi({ description: "Admins only; the account's sessions end" }),
  disabled: z.boolean().optional().openapi({
    description: "Disabling ends every session and blocks sign-in. Staff may (dis)able customers only",
  }),
});
const changesSomething = [
  (c: z.infer<typeof Change>) => c.role !== undefined || c.disabled !== undefined,
  { message: "Give role, disabled or both" },
] as const;

/** The PATCH body; the id comes from the path. */
export const UpdateCustomerBody = Change.refine(...changesSomething).openapi("UpdateCustomerInput");

export const UpdateCustomerInput = Change.extend(CustomerIdInput.shape).refine(...changesSomething);
