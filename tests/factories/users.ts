import type { Actor, Role } from "../../src/lib/context";
import * as identity from "../../src/modules/identity/service";
import { createSession } from "../../src/modules/identity/sessions";
import type { TestApp } from "../harness";

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  /** A session token for this user. */
  token: string;
  /** `Authorization: Bearer <token>`, for either transport. */
  headers: Record<string, string>;
  /** What the app makes of `headers` (the real session id included), for service calls. */
  actor: Actor;
}

let made = 0;

/** A new account with this role, signed in (through the identity service; no rate limit applies). */
export async function makeUser(t: TestApp, role: Role = "customer", fields: { name?: string } = {}): Promise<TestUser> {
  const n = ++made;
  // The random tail keeps one address from being a fragment of another ("customer-1" is in "customer-12"):
  // tests search accounts by email.
  const email = `${role}-${n}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const password = `correct horse ${role} ${n}`;
  const system = t.ctx({ kind: "system", name: "test" });
  const account = await identity.createAccount(system, { email, password, name: fields.name ?? `${role} ${n}`, role });
  return newSession(t, { id: account.id, email, password, role });
}

/** Another session of the same account: for calls that end the session they came with. */
export async function newSession(t: TestApp, user: Omit<TestUser, "token" | "headers" | "actor">): Promise<TestUser> {
  // Not identity.signIn: it counts against a per-IP limit, and checking the password is not what tests set up.
  const { token, sessionId } = await createSession(t.ctx(), user.id);
  // As the app resolves the bearer token (tests/harness.test.ts checks they agree).
  const actor: Actor = { kind: "user", userId: user.id, role: user.role, sessionId, via: "bearer" };
  return { ...user, token, headers: { authorization: `Bearer ${token}` }, actor };
}
