import { beforeAll, describe, expect, test } from "bun:test";
import { newId } from "../src/lib/ids";
import { createSession } from "../src/modules/identity/sessions";
import { hashToken } from "../src/modules/identity/tokens";
import { appRouter } from "../src/trpc/router";
import { type TestUser, useTestApp } from "./harness";

/**
 * Who may call what: every REST operation in the OpenAPI document and every
 * tRPC procedure must have a row here, and each row is checked against
 * anonymous callers, a customer, another customer, staff, an admin, and API
 * keys with and without the scope. A route added without a row, or without
 * the guard its row promises, fails this file.
 */

type Policy =
  | { who: "anyone" }
  /** A signed-in person. `owned`: the path's `{id}` is one of the caller's own rows. */
  | { who: "signedIn"; owned?: "address" }
  /** Staff or admin sessions; over REST also API keys holding `scope`. */
  | { who: "staff"; scope?: string }
  | { who: "admin" };

const anyone: Policy = { who: "anyone" };
const signedIn: Policy = { who: "signedIn" };
const staff = (scope?: string): Policy => ({ who: "staff", scope });
const admin: Policy = { who: "admin" };

const REST: Record<string, Policy> = {
  "GET /api/v1/categories": anyone,
  "GET /api/v1/categories/{idOrSlug}": anyone,
  "POST /api/v1/admin/categories": staff("catalog:write"),
  "POST /api/v1/auth/register": anyone,
  "POST /api/v1/auth/sessions": anyone,
  "DELETE /api/v1/auth/sessions/current": signedIn,
  "DELETE /api/v1/auth/sessions": signedIn,
  "POST /api/v1/auth/verify-email": anyone,
  "POST /api/v1/auth/password-reset": anyone,
  "POST /api/v1/auth/password-reset/confirm": anyone,
  "GET /api/v1/me": signedIn,
  "PATCH /api/v1/me": signedIn,
  "DELETE /api/v1/me": signedIn,
  "POST /api/v1/me/password": signedIn,
  "GET /api/v1/me/addresses": signedIn,
  "POST /api/v1/me/addresses": signedIn,
  "GET /api/v1/me/addresses/{id}": { who: "signedIn", owned: "address" },
  "PATCH /api/v1/me/addresses/{id}": { who: "signedIn", owned: "address" },
  "DELETE /api/v1/me/addresses/{id}": { who: "signedIn", owned: "address" },
  "GET /api/v1/admin/customers": staff("customers:read"),
  "GET /api/v1/admin/customers/{id}": staff("customers:read"),
  "PATCH /api/v1/admin/customers/{id}": staff(),
  "GET /api/v1/admin/api-keys": admin,
  "POST /api/v1/admin/api-keys": admin,
  "DELETE /api/v1/admin/api-keys/{id}": admin,
};

const TRPC: Record<string, Policy> = {
  "catalog.categories.list": anyone,
  "catalog.categories.get": anyone,
  "admin.categories.create": staff(),
  "auth.register": anyone,
  "auth.signIn": anyone,
  "auth.signOut": signedIn,
  "auth.signOutEverywhere": signedIn,
  "auth.verifyEmail": anyone,
  "auth.requestPasswordReset": anyone,
  "auth.confirmPasswordReset": anyone,
  "me.get": signedIn,
  "me.update": signedIn,
  "me.changePassword": signedIn,
  "me.delete": signedIn,
  "me.addresses.list": signedIn,
  "me.addresses.create": signedIn,
  "me.addresses.get": { who: "signedIn", owned: "address" },
  "me.addresses.update": { who: "signedIn", owned: "address" },
  "me.addresses.delete": { who: "signedIn", owned: "address" },
  "admin.customers.list": staff(),
  "admin.customers.get": staff(),
  "admin.customers.update": staff(),
  "admin.apiKeys.list": admin,
  "admin.apiKeys.create": admin,
  "admin.apiKeys.revoke": admin,
};

const t = await useTestApp();

type ActorName =
  | "anonymous"
  | "customer"
  | "other customer"
  | "staff"
  | "admin"
  | "key with scope"
  | "key without scope";
const ACTORS: ActorName[] = [
  "anonymous",
  "customer",
  "other customer",
  "staff",
  "admin",
  "key with scope",
  "key without scope",
];

let people: Record<"customer" | "other customer" | "staff" | "admin", TestUser>;
beforeAll(async () => {
  people = {
    customer: await t.user("customer"),
    "other customer": await t.user("customer"),
    staff: await t.user("staff"),
    admin: await t.user("admin"),
  };
});

/** A fresh session per call: some calls (sign out, delete) end the session they came with. */
async function credentials(actor: ActorName, scope: string | undefined): Promise<Record<string, string>> {
  if (actor === "anonymous") return {};
  if (actor === "key with scope" || actor === "key without scope") {
    const scopes = actor === "key with scope" && scope ? [scope] : ["webhooks:write"];
    const secret = `ck_${newId().replaceAll("-", "")}${newId().replaceAll("-", "")}`;
    await t.sql`insert into api_keys (id, name, prefix, key_hash, scopes)
                values (${newId()}, 'access test', ${secret.slice(0, 11)}, ${hashToken(secret)}, ${scopes})`;
    return { authorization: `Bearer ${secret}` };
  }
  const session = await createSession({ db: t.deps.database.db }, people[actor].id);
  return { authorization: `Bearer ${session.token}` };
}

/** The status the policy promises this actor: "denied-401", "denied-403", "not-found" (someone else's row) or "allowed". */
function expected(policy: Policy, actor: ActorName, transport: "rest" | "trpc"): string {
  const isKey = actor.startsWith("key");
  if (policy.who === "anyone") return "allowed";
  if (actor === "anonymous") return "denied-401";
  switch (policy.who) {
    case "signedIn":
      if (isKey) return "denied-403";
      return policy.owned && actor !== "customer" ? "not-found" : "allowed";
    case "staff":
      if (actor === "staff" || actor === "admin") return "allowed";
      if (actor === "key with scope" && policy.scope && transport === "rest") return "allowed";
      return "denied-403";
    case "admin":
      return actor === "admin" ? "allowed" : "denied-403";
  }
}

/** A row of the customer's own for `owned` routes, else a random id. */
async function pathId(policy: Policy): Promise<string> {
  if (policy.who === "signedIn" && policy.owned === "address") {
    const id = newId();
    await t.sql`insert into addresses (id, user_id, name, line1, city, postal_code, country)
                values (${id}, ${people.customer.id}, 'Home', '1 Main St', 'Springfield', '12345', 'US')`;
    return id;
  }
  return newId();
}

function check(outcome: string, status: number, body: unknown, scope?: string) {
  if (outcome === "denied-401") expect(status).toBe(401);
  else if (outcome === "denied-403") {
    expect(status).toBe(403);
    if (scope) expect(JSON.stringify(body)).toContain(scope);
  } else if (outcome === "not-found") expect(status).toBe(404);
  else expect([401, 403]).not.toContain(status);
}

describe("REST: every operation has a policy, and its guard keeps it", async () => {
  const doc = await (await t.app.fetch(new Request("http://cartwright.test/api/v1/openapi.json"))).json();
  const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );

  test("the table lists exactly the documented operations", () => {
    expect(operations.filter((op) => !(op in REST))).toEqual([]);
    expect(Object.keys(REST).filter((op) => !operations.includes(op))).toEqual([]);
  });

  for (const op of operations) {
    const policy = REST[op] ?? anyone;
    test(`${op} (${policy.who}${"scope" in policy && policy.scope ? ` ${policy.scope}` : ""})`, async () => {
      for (const actor of ACTORS) {
        const [method = "GET", template = ""] = op.split(" ");
        const path = template.replace(/\{[^}]+\}/g, await pathId(policy));
        const headers = await credentials(actor, "scope" in policy ? policy.scope : undefined);
        const res = await t.rest.request(method, path, {
          headers,
          ...(method === "POST" || method === "PATCH" || method === "PUT" ? { body: {} } : {}),
        });
        const outcome = expected(policy, actor, "rest");
        try {
          check(
            outcome,
            res.status,
            res.body,
            outcome === "denied-403" && actor === "key without scope"
              ? (policy as { scope?: string }).scope
              : undefined,
          );
        } catch (err) {
          throw new Error(`${op} as ${actor}: expected ${outcome}, got ${res.status} ${JSON.stringify(res.body)}`, {
            cause: err,
          });
        }
      }
    });
  }
});

describe("tRPC: every procedure has a policy, and its tier keeps it", () => {
  const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>);

  test("the table lists exactly the router's procedures", () => {
    const names = procedures.map(([name]) => name);
    expect(names.filter((n) => !(n in TRPC))).toEqual([]);
    expect(Object.keys(TRPC).filter((n) => !names.includes(n))).toEqual([]);
  });

  for (const [name, procedure] of procedures) {
    const policy = TRPC[name] ?? anyone;
    test(`${name} (${policy.who})`, async () => {
      for (const actor of ACTORS) {
        const headers = await credentials(actor, undefined);
        const input = policy.who === "signedIn" && policy.owned ? { id: await pathId(policy) } : {};
        const query = procedure._def.type === "query";
        const url = `http://cartwright.test/trpc/${name}${query ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ""}`;
        const res = await t.app.fetch(
          new Request(url, {
            method: query ? "GET" : "POST",
            headers: { ...headers, "content-type": "application/json" },
            ...(query ? {} : { body: JSON.stringify(input) }),
          }),
        );
        const outcome = expected(policy, actor, "trpc");
        const body = await res.json();
        try {
          check(outcome, res.status, body);
        } catch (err) {
          throw new Error(`${name} as ${actor}: expected ${outcome}, got ${res.status} ${JSON.stringify(body)}`, {
            cause: err,
          });
        }
      }
    });
  }
});
