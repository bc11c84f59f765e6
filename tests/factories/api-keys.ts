import type { Scope } from "../../src/lib/access";
import type { Actor } from "../../src/lib/context";
import * as apiKeys from "../../src/modules/api-keys/service";
import type { TestApp } from "../harness";

export interface TestApiKey {
  id: string;
  /** The `ck_...` secret, shown once by the service. */
  secret: string;
  scopes: Scope[];
  /** `Authorization: Bearer <secret>`, for either transport. */
  headers: Record<string, string>;
  /** What the app makes of `headers`, for service calls. */
  actor: Actor;
}

/**
 * A key with these scopes, made through the api-keys service by the test's
 * system actor (an admin's rights, without adding an admin to lists of
 * accounts); `revoked` revokes it through the service too.
 */
export async function makeApiKey(
  t: TestApp,
  scopes: Scope[],
  opts: { name?: string; revoked?: boolean } = {},
): Promise<TestApiKey> {
  const system = t.ctx({ kind: "system", name: "test" });
  const { key, secret } = await apiKeys.createApiKey(system, { name: opts.name ?? "test key", scopes });
  if (opts.revoked) await apiKeys.revokeApiKey(system, { id: key.id });
  return {
    id: key.id,
    secret,
    scopes: key.scopes,
    headers: { authorization: `Bearer ${secret}` },
    // As authenticate.ts resolves it; calling it here would stamp lastUsedAt, which tests of the list look at.
    actor: { kind: "apiKey", keyId: key.id, scopes: key.scopes },
  };
}
