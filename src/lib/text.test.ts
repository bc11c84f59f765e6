import { describe, expect, test } from "bun:test";
import { trpcError } from "../../tests/errors";
import { useTestApp } from "../../tests/harness";
import { Line, Prose, Text } from "./text";

const t = await useTestApp();
const customerUser = await t.user();
const customer = t.as(customerUser);
const admin = t.as(await t.user("admin"));

const NUL = "Nul\u0000Name";
const LONE_SURROGATE = "Lone\ud800Surrogate";
const messageOf = (schema: { safeParse(v: unknown): { error?: { issues: { message: string }[] } } }, v: string) =>
  schema.safeParse(v).error?.issues.map((i) => i.message);

describe("Text, Line and Prose", () => {
  test("every one refuses NUL and an unpaired surrogate, naming the code point", () => {
    for (const schema of [Text, Line, Prose]) {
      expect(messageOf(schema, NUL)).toEqual(["Must not contain NUL (U+0000)"]);
      expect(messageOf(schema, LONE_SURROGATE)).toEqual(["Must not contain an unpaired surrogate (U+D800)"]);
      expect(messageOf(schema, "trailing \udfff")).toEqual(["Must not contain an unpaired surrogate (U+DFFF)"]);
    }
  });

  test("every one keeps a surrogate pair, the right-to-left marks and scripts beyond Latin", () => {
    for (const schema of [Text, Line, Prose]) {
      for (const ok of ["Ada 🚀", "\u200fשלום\u200e", "محمد\u061c", "Zoë Ñandú"]) expect(schema.parse(ok)).toBe(ok);
    }
  });

  test("Text lets other characters through: it guards secrets and search terms, not what people read", () => {
    expect(Text.parse("a\tb\u202e\ufffd")).toBe("a\tb\u202e\ufffd");
  });

  test("Line refuses controls, line breaks, bidirectional overrides and isolates, and U+FFFD", () => {
    expect(messageOf(Line, "bell\u0007")).toEqual(["Must not contain control characters (U+0007)"]);
    expect(messageOf(Line, "tab\there")).toEqual(["Must not contain control characters (U+0009)"]);
    expect(messageOf(Line, "c1\u0085")).toEqual(["Must not contain control characters (U+0085)"]);
    expect(messageOf(Line, "two\nlines")).toEqual(["Must be one line (U+000A)"]);
    expect(messageOf(Line, "two\u2028lines")).toEqual(["Must be one line (U+2028)"]);
    for (const bidi of ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]) {
      const hex = `U+${bidi.charCodeAt(0).toString(16).toUpperCase()}`;
      expect(messageOf(Line, `evil${bidi}gpj.exe`)).toEqual([
        `Must not contain bidirectional control characters (${hex})`,
      ]);
    }
    expect(messageOf(Line, "bad \ufffd byte")).toEqual([
      "Must not contain U+FFFD, the replacement character: was the text valid UTF-8?",
    ]);
  });

  test("Line trims the edges before it checks, so a trailing newline is no error", () => {
    expect(Line.parse("  Ada Lovelace\n")).toBe("Ada Lovelace");
  });

  test("Prose allows tabs and line breaks, and refuses the rest as Line does", () => {
    expect(Prose.parse("First line\r\n\tindented\u2028next")).toBe("First line\r\n\tindented\u2028next");
    expect(messageOf(Prose, "esc\u001b[31m")).toEqual(["Must not contain control characters (U+001B)"]);
    expect(messageOf(Prose, "rtl\u202eoverride")).toEqual([
      "Must not contain bidirectional control characters (U+202E)",
    ]);
  });
});

/** Every string input the fuzzer broke, with a body that is valid but for `field`. */
const newPassword = "a long enough password";
let ips = 0;
const anonymous = () => ({ "x-forwarded-for": `198.51.100.${++ips}` });
const createAddress = (field: string, value: string) => ({
  name: "Ada",
  line1: "1 Rue",
  city: "Paris",
  postalCode: "75001",
  country: "FR",
  [field]: value,
});

interface Case {
  name: string;
  field: string;
  rest: (bad: string) => Promise<{ status: number; body: any }>;
  trpc: (bad: string) => Promise<unknown>;
}

const bodyCases: Case[] = [
  {
    name: "register's name",
    field: "name",
    rest: (bad) =>
      t.rest.post(
        "/api/v1/auth/register",
        { email: `r${++ips}@example.test`, password: newPassword, name: bad },
        { headers: anonymous() },
      ),
    trpc: (bad) =>
      t
        .trpcWith(anonymous())
        .auth.register.mutate({ email: `r${++ips}@example.test`, password: newPassword, name: bad }),
  },
  {
    name: "register's password",
    field: "password",
    rest: (bad) =>
      t.rest.post(
        "/api/v1/auth/register",
        { email: `r${++ips}@example.test`, password: `${bad}${newPassword}`, name: "Ada" },
        { headers: anonymous() },
      ),
    trpc: (bad) =>
      t
        .trpcWith(anonymous())
        .auth.register.mutate({ email: `r${++ips}@example.test`, password: `${bad}${newPassword}`, name: "Ada" }),
  },
  {
    name: "PATCH /me's name",
    field: "name",
    rest: (bad) => customer.rest.patch("/api/v1/me", { name: bad }),
    trpc: (bad) => customer.trpc.me.update.mutate({ name: bad }),
  },
  ...["name", "line1", "line2", "city", "region", "postalCode", "phone", "country"].map(
    (field): Case => ({
      name: `an address's ${field}`,
      field,
      rest: (bad) => customer.rest.post("/api/v1/me/addresses", createAddress(field, bad)),
      trpc: (bad) => customer.trpc.me.addresses.create.mutate(createAddress(field, bad) as never),
    }),
  ),
  ...["name", "description"].map(
    (field): Case => ({
      name: `an admin category's ${field}`,
      field,
      rest: (bad) => admin.rest.post("/api/v1/admin/categories", { name: "Shoes", [field]: bad }),
      trpc: (bad) => admin.trpc.admin.categories.create.mutate({ name: "Shoes", [field]: bad }),
    }),
  ),
  {
    name: "an API key's name",
    field: "name",
    rest: (bad) => admin.rest.post("/api/v1/admin/api-keys", { name: bad, scopes: ["catalog:read"] }),
    trpc: (bad) => admin.trpc.admin.apiKeys.create.mutate({ name: bad, scopes: ["catalog:read"] }),
  },
];

/** Query and path parameters: a URL cannot carry an unpaired surrogate, so NUL only on REST. */
const urlCases: Case[] = [
  {
    name: "a category's idOrSlug in the path",
    field: "idOrSlug",
    rest: (bad) => t.rest.get(`/api/v1/categories/${encodeURIComponent(bad)}`),
    trpc: (bad) => t.trpc.catalog.categories.get.query({ idOrSlug: bad }),
  },
  {
    name: "the admin customer search q",
    field: "q",
    rest: (bad) => admin.rest.get(`/api/v1/admin/customers?q=${encodeURIComponent(bad)}`),
    trpc: (bad) => admin.trpc.admin.customers.list.query({ q: bad }),
  },
];

const expectRestRefusal = (res: { status: number; body: any }, field: string) => {
  expect(res.status).toBe(400);
  expect(res.body.code).toBe("VALIDATION_FAILED");
  expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
};
const expectTrpcRefusal = async (call: Promise<unknown>, field: string) => {
  const err = await trpcError(call);
  expect(err.data.code).toBe("VALIDATION_FAILED");
  expect(err.data.httpStatus).toBe(400);
  expect(err.data.errors.map((e: { path: string }) => e.path)).toContain(field);
};

describe("every string input refuses NUL and unpaired surrogates with a 400 naming the field", () => {
  for (const c of bodyCases) {
    test(`${c.name}, on REST and tRPC`, async () => {
      for (const bad of [NUL, LONE_SURROGATE]) {
        expectRestRefusal(await c.rest(bad), c.field);
        await expectTrpcRefusal(c.trpc(bad), c.field);
      }
    });
  }
  for (const c of urlCases) {
    test(`${c.name}, on REST and tRPC`, async () => {
      expectRestRefusal(await c.rest(NUL), c.field);
      await expectTrpcRefusal(c.trpc(NUL), c.field);
      await expectTrpcRefusal(c.trpc(LONE_SURROGATE), c.field);
    });
  }
});

describe("display names refuse bidirectional overrides and control characters", () => {
  test("register and PATCH /me refuse U+202E and a bell with a message naming the code point", async () => {
    const res = await customer.rest.patch("/api/v1/me", { name: "Ada\u202eecalevoL" });
    expectRestRefusal(res, "name");
    expect(res.body.errors[0].message).toBe("Must not contain bidirectional control characters (U+202E)");
    await expectTrpcRefusal(customer.trpc.me.update.mutate({ name: "Ada\u0007" }), "name");
    const reg = await t.rest.post(
      "/api/v1/auth/register",
      { email: "iso@example.test", password: newPassword, name: "\u2067Ada\u2069" },
      { headers: anonymous() },
    );
    expectRestRefusal(reg, "name");
  });

  test("names in any script, with emoji and right-to-left marks, are stored as given", async () => {
    const name = "\u200fמרים 🚀 Zoë";
    expect((await customer.rest.patch("/api/v1/me", { name })).body.name).toBe(name);
    expect((await customer.trpc.me.update.mutate({ name: `  ${name}  ` })).name).toBe(name);
  });

  test("a category description keeps its line breaks and tabs", async () => {
    const description = "Leather shoes.\n\n\tHand-stitched.";
    const res = await admin.rest.post("/api/v1/admin/categories", { name: "Boots", description });
    expect(res.status).toBe(201);
    expect(res.body.description).toBe(description);
  });
});

describe("a JSON body that is not UTF-8", () => {
  // Bun decodes the body leniently: the bytes 0xC3 0x28 arrive as U+FFFD "(", which names refuse.
  const body = Buffer.concat([Buffer.from('{"name":"Ada'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  const send = (path: string, method: string) =>
    t.app.fetch(
      new Request(`http://cartwright.test${path}`, {
        method,
        headers: { ...customer.headers, "content-type": "application/json" },
        body,
      }),
    );

  test("is a 400 naming the field on REST and on tRPC, and nothing is stored", async () => {
    const nameOf = async () => (await t.sql`select name from users where id = ${customerUser.id}`)[0]?.name;
    const before = await nameOf();
    const rest = await send("/api/v1/me", "PATCH");
    expect(rest.status).toBe(400);
    expect((await rest.json()).errors.map((e: { path: string }) => e.path)).toEqual(["name"]);
    const trpc = await send("/trpc/me.update", "POST");
    expect(trpc.status).toBe(400);
    const answer = (await trpc.json()) as { error: { data: { code: string; errors: { path: string }[] } } };
    expect(answer.error.data.code).toBe("VALIDATION_FAILED");
    expect(answer.error.data.errors.map((e) => e.path)).toEqual(["name"]);
    expect(await nameOf()).toBe(before);
  });
});
