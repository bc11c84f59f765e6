import { z } from "@hono/zod-openapi";
import { IdParam } from "../../lib/id-param";
import { Line } from "../../lib/text";
import { COUNTRY_CODES } from "./countries";

/** How many addresses one customer's book may hold. */
export const MAX_ADDRESSES = 20;

const Required = (max: number) => Line.min(1).max(max);

/** An optional line: blank or null both mean none, stored as null. */
const Optional = (max: number) =>
  Line.max(max)
    .nullable()
    .transform((v) => v || null);

// Loose on purpose: 6 to 15 digits (E.164's maximum), an optional leading +, and the separators people type.
const PHONE = /^\+?(?:[ ().-]*\d){6,15}[ ().-]*$/;

const Phone = Line.max(30)
  .refine((v) => v === "" || PHONE.test(v), "A phone number: 6 to 15 digits, optionally a leading +")
  .nullable()
  .transform((v) => v || null)
  .openapi({ example: "+33 1 23 45 67 89" });

export const Country = Line.refine(
  (code) => COUNTRY_CODES.has(code.toUpperCase()),
  "A two-letter ISO 3166-1 country code, such as FR",
)
  .transform((code) => code.toUpperCase())
  // Documented as what the refinement enforces: two letters, any case.
  .openapi({
    description: "ISO 3166-1 alpha-2, any case; stored upper-case",
    example: "FR",
    minLength: 2,
    maxLength: 2,
  });

export const AddressFields = {
  name: Required(200).openapi({ description: "Who receives parcels here", example: "Ada Lovelace" }),
  line1: Required(200).openapi({ example: "12 Rue de Rivoli" }),
  line2: Optional(200).optional(),
  city: Required(100).openapi({ example: "Paris" }),
  region: Optional(100).optional().openapi({ description: "State, province or county, where the country uses one" }),
  // Blank is allowed: some countries have no postal codes (Hong Kong, Qatar, ...).
  postalCode: Line.max(20).openapi({ example: "75001" }),
  country: Country,
  phone: Phone.optional(),
};

export const Address = z
  .object({
    id: z.uuid(),
    name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().nullable(),
    postalCode: z.string(),
    country: z.string().openapi({ description: "ISO 3166-1 alpha-2", example: "FR" }),
    phone: z.string().nullable(),
    isDefaultShipping: z.boolean(),
    isDefaultBilling: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Address");
export type Address = z.infer<typeof Address>;

export const AddressList = z
  .object({
    items: z.array(Address).openapi({ description: "Oldest first" }),
    // Typed as every list's cursor, so clients page all lists alike; a book of at most MAX_ADDRESSES fits one page.
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: `Always null today: a book holds at most ${MAX_ADDRESSES} addresses, one page` }),
  })
  .openapi("AddressList");
export type AddressList = z.infer<typeof AddressList>;

export const AddressIdInput = IdParam;

export const CreateAddressInput = z
  .strictObject({
    ...AddressFields,
    isDefaultShipping: z.boolean().default(false),
    isDefaultBilling: z.boolean().default(false),
  })
  .openapi("CreateAddressInput", {
    description: "The first address in a book becomes the default for shipping and billing, whatever these flags say",
  });

/** The REST body of an update: any of the fields; null clears `line2`, `region` or `phone`. */
export const UpdateAddressBody = z
  .strictObject({ ...AddressFields, isDefaultShipping: z.boolean(), isDefaultBilling: z.boolean() })
  .partial()
  .openapi("UpdateAddressBody", {
    description: "Setting a default flag moves it here from the customer's other address; clearing it leaves none",
  });

export const UpdateAddressInput = UpdateAddressBody.extend({ id: z.uuid() });
