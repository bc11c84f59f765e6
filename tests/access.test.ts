import { beforeAll, describe, expect, test } from "bun:test";
import type { Scope } from "../src/lib/access";
import type { Ctx } from "../src/lib/context";
import { newId } from "../src/lib/ids";
import { allOperations } from "../src/lib/module";
import { type Access, restPath } from "../src/lib/operation";
import { modules } from "../src/modules";
import { appRouter } from "../src/trpc/router";
import { makeApiKey } from "./factories/api-keys";
import { newSession } from "./factories/users";
import { type TestUser, useTestApp } from "./harness";

/**
 * Who may call what: every REST operation in the OpenAPI document and every
 * tRPC procedure comes from a module's declared operation, and each is checked
 * against anonymous callers, a customer, another customer, staff, an admin,
 * and API keys with and without the scope its access names. The policies are
 * the declarations' own (`access`), so a route can neither lack one nor be
 * served by a guard that disagrees with it; a row another customer owns comes
 * from the owning module's builder (`owned` in its manifest).
 */

const declared = allOperations(modules);
const REST = new Map(
  declared.flatMap(([, op]) => (op.rest ? [[`${op.rest.method.toUpperCase()} ${restPath(op.rest)}`, op.access]] : [])),
);
const TRPC = new Map(declared.flatMap(([path, op]) => (op.trpc === false ? [] : [[path, op.access]])));
const owners = Object.assign({}, ...modules.map((m) => m.owned ?? {})) as Record<string, (ctx: Ctx) => Promise<string>>;

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
async function credentials(actor: ActorName, scope: Scope | undefined): Promise<Record<string, string>> {
  if (actor === "anonymous") return {};
  if (actor === "key with scope" || actor === "key without scope") {
    const scopes: Scope[] = actor === "key with scope" && scope ? [scope] : ["webhooks:write"];
    return (await makeApiKey(t, scopes, { name: "access test" })).headers;
  }
  return (await newSession(t, people[actor])).headers;
}

/** The status the policy promises this actor: "denied-401", "denied-403", "not-found" (someone else's row) or "allowed". */
function expected(policy: Access, actor: ActorName): string {
  const isKey = actor.startsWith("key");
  if (policy.who === "anyone") return "allowed";
  if (policy.who === "shopper") return isKey ? "denied-403" : "allowed";
  if (actor === "anonymous") return "denied-401";
  switch (policy.who) {
    case "signedIn":
      if (isKey) return "denied-403";
      return policy.owns && actor !== "customer" ? "not-found" : "allowed";
    case "staff":
      if (actor === "staff" || actor === "admin") return "allowed";
      if (actor === "key with scope" && policy.scope) return "allowed";
      return "denied-403";
    case "admin":
      return actor === "admin" ? "allowed" : "denied-403";
  }
}

/** A row the customer owns, made by its module, for `owner(...)` operations; else a random id. */
async function pathId(policy: Access): Promise<string> {
  if (policy.who !== "signedIn" || !policy.owns) return newId();
  const make = owners[policy.owns];
  if (!make) throw new Error(`no module builds the owned resource "${policy.owns}" (manifest \`owned\`)`);
  // A session of its own: signOutEverywhere, also called here, may have ended the others.
  return make(t.as(await newSession(t, people.customer)).ctx);
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

  test("the document holds exactly the declared operations", () => {
    expect(operations.filter((op) => !REST.has(op))).toEqual([]);
    expect([...REST.keys()].filter((op) => !operations.includes(op))).toEqual([]);
  });

  for (const op of operations) {
    const policy = REST.get(op) ?? { who: "anyone" };
    test(`${op} (${policy.who}${"scope" in policy && policy.scope ? ` ${policy.scope}` : ""})`, async () => {
      const [method = "GET", template = ""] = op.split(" ");
      const path = template.replace(/\{[^}]+\}/g, await pathId(policy));
      for (const actor of ACTORS) {
        const headers = await credentials(actor, "scope" in policy ? policy.scope : undefined);
        const res = await t.rest.request(method, path, {
          headers,
          ...(method === "POST" || method === "PATCH" || method === "PUT" ? { body: {} } : {}),
        });
        const outcome = expected(policy, actor);
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

  test("the router holds exactly the declared procedures", () => {
    const names = procedures.map(([name]) => name);
    expect(names.filter((n) => !TRPC.has(n))).toEqual([]);
    expect([...TRPC.keys()].filter((n) => !names.includes(n))).toEqual([]);
  });

  for (const [name, procedure] of procedures) {
    const policy = TRPC.get(name) ?? { who: "anyone" };
    const scope = "scope" in policy ? policy.scope : undefined;
    test(`${name} (${policy.who}${scope ? ` ${scope}` : ""})`, async () => {
      const input = policy.who === "signedIn" && policy.owns ? { id: await pathId(policy) } : {};
      for (const actor of ACTORS) {
        const headers = await credentials(actor, scope);
        const query = procedure._def.type === "query";
        const url = `http://cartwright.test/trpc/${name}${query ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ""}`;
        const res = await t.app.fetch(
          new Request(url, {
            method: query ? "GET" : "POST",
            headers: { ...headers, "content-type": "application/json" },
            ...(query ? {} : { body: JSON.stringify(input) }),
          }),
        );
        const outcome = expected(policy, actor);
        const body = await res.json();
        try {
          check(
            outcome,
            res.status,
            body,
            outcome === "denied-403" && actor === "key without scope" ? scope : undefined,
          );
        } catch (err) {
          throw new Error(`${name} as ${actor}: expected ${outcome}, got ${res.status} ${JSON.stringify(body)}`, {
            cause: err,
          });
        }
      }
    });
  }
});
