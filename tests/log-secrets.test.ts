import { describe, expect, test } from "bun:test";
import { Writable } from "node:stream";
import { users } from "../src/db/schema/identity";
import { newId } from "../src/lib/ids";
import { createLogger } from "../src/lib/logger";
import { randomToken } from "../src/lib/tokens";
import { hashPassword } from "../src/modules/identity/passwords";
import { useTestApp } from "./harness";

const t = await useTestApp();

/** A logger writing JSON lines into `lines`, as production writes them to stdout. */
function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: "info", pretty: false, destination }), lines };
}

/** The error a query throws, which the 500 path logs as `err`. */
async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  throw new Error("the query was meant to fail");
}

describe("what a failed query logs", () => {
  test("a drizzle insert refused by Postgres logs its SQLSTATE and first words, never the hash it carried", async () => {
    const hash = await hashPassword("correct horse battery staple");
    const err = await failure(() =>
      t.deps.database.db
        .insert(users)
        .values({ id: newId(), email: "nul@example.test", name: "Nul\u0000Name", passwordHash: hash }),
    );
    const { log, lines } = capturingLogger();
    log.child({ requestId: "r1" }).error({ err, path: "/api/v1/auth/register" }, "unhandled error");

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(hash);
    expect(lines[0]).not.toContain("$argon2id$");
    expect(lines[0]).not.toContain("parameters");
    expect(lines[0]).not.toContain("params");
    const logged = JSON.parse(lines[0] as string).err;
    expect(logged.message).toBe("Failed query");
    expect(logged.statement).toBe('insert into "users" ("id",');
    expect(logged.cause.code).toBe("22021");
  });

  test("a postgres.js query with a token and an API key among its parameters logs neither", async () => {
    const token = randomToken();
    const apiKey = `ck_${randomToken()}`;
    const err = await failure(
      () => t.sql`insert into api_keys (id, name, key_hash, scopes) values (${token}, ${apiKey}, ${token}, '{}')`,
    );
    const { log, lines } = capturingLogger();
    log.error({ err }, "unhandled error");
    log.error(err);

    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(apiKey);
      expect(line).not.toContain("parameters");
      expect(line).not.toContain('"args"');
      expect(JSON.parse(line).err.code).toMatch(/^[0-9A-Z]{5}$/);
    }
  });
});

describe("secrets anywhere in a logged object", () => {
  test("credentials, cookies, passwords, hashes and session ids are redacted at any depth", async () => {
    const hash = await hashPassword("another long passphrase");
    const token = randomToken();
    const { log, lines } = capturingLogger();
    log.warn(
      {
        req: { headers: { authorization: `Bearer ${token}`, cookie: `session=${token}`, "x-request-id": "r2" } },
        body: { email: "a@example.test", password: "hunter22hunter22", nested: { apiKey: "ck_abc", sessionId: token } },
        note: `stored ${hash} for ck_live_123 via Bearer ${token}`,
      },
      `message naming ${hash}`,
    );

    const [line] = lines;
    for (const secret of [token, hash, "hunter22hunter22", "ck_abc", "ck_live_123"]) expect(line).not.toContain(secret);
    const logged = JSON.parse(line as string);
    expect(logged.body.email).toBe("a@example.test");
    expect(logged.req.headers["x-request-id"]).toBe("r2");
  });
});
