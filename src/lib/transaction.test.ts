import { beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import pino from "pino";
import { serviceError } from "../../tests/errors";
import { useTestApp } from "../../tests/harness";
import { enqueue } from "../jobs/enqueue";
import { purgeIdempotencyKeysJob } from "../jobs/tasks/purge-idempotency-keys";
import type { Ctx } from "./context";
import { inTransaction, MAX_RETRIES, type TxCtx } from "./transaction";

const t = await useTestApp();
const system = t.ctx({ kind: "system", name: "test" });

beforeAll(async () => {
  await t.sql`create table tx_probe (id int primary key, n int not null)`;
  await t.sql`create table tx_notes (note text not null)`;
});
beforeEach(async () => {
  await t.sql`truncate tx_probe, tx_notes`;
  await t.sql`insert into tx_probe values (1, 0), (2, 0)`;
});

const note = (tx: TxCtx, text: string) => tx.db.execute(sql`insert into tx_notes values (${text})`);
const notes = async () => (await t.sql`select note from tx_notes order by note`).map((r) => r.note);
const probe = async () => (await t.sql`select n from tx_probe order by id`).map((r) => r.n);
const forceSerializationFailure = (tx: TxCtx) =>
  tx.db.execute(sql`do $$ begin raise exception 'forced conflict' using errcode = '40001'; end $$`);

describe("inTransaction retries", () => {
  test("a write skew between two SERIALIZABLE transactions is retried and the caller sees success", async () => {
    let attempts = 0;
    let committed = 0;
    const result = await inTransaction(
      system,
      async (tx) => {
        attempts++;
        await tx.db.execute(sql`select sum(n) from tx_probe`);
        // Another serializable transaction reads what this one read, writes the other row and commits first.
        if (attempts === 1) {
          await t.sql.begin("isolation level serializable", async (other) => {
            await other`select sum(n) from tx_probe`;
            await other`update tx_probe set n = n + 1 where id = 2`;
          });
        }
        await tx.db.execute(sql`update tx_probe set n = n + 10 where id = 1`);
        tx.afterCommit(() => committed++);
        return "done";
      },
      { isolation: "serializable" },
    );
    expect(result).toBe("done");
    expect(attempts).toBe(2);
    expect(committed).toBe(1);
    expect(await probe()).toEqual([10, 1]);
  });

  test("a deadlock is retried and the caller sees success", async () => {
    let attempts = 0;
    let other: Promise<unknown> | undefined;
    await inTransaction(system, async (tx) => {
      attempts++;
      const [me] = await tx.db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      await tx.db.execute(sql`update tx_probe set n = n + 1 where id = 1`);
      if (attempts === 1) {
        const hasRow2 = Promise.withResolvers<void>();
        other = t.sql.begin(async (sql) => {
          await sql`update tx_probe set n = n + 1 where id = 2`;
          hasRow2.resolve();
          // Ask for row 1 only once this transaction waits for row 2: it waited first, so Postgres's
          // deadlock check fires in its backend first and picks it as the victim.
          await waitUntilWaitingOnLock(me?.pid ?? 0);
          await sql`update tx_probe set n = n + 1 where id = 1`;
        });
        await hasRow2.promise;
      }
      await tx.db.execute(sql`update tx_probe set n = n + 1 where id = 2`);
    });
    await other;
    expect(attempts).toBe(2);
    expect(await probe()).toEqual([2, 2]);
  });

  test(`gives up after ${MAX_RETRIES} retries: the caller sees CONFLICT and nothing is written`, async () => {
    let attempts = 0;
    const err = await serviceError(
      inTransaction(system, async (tx) => {
        attempts++;
        await note(tx, `attempt ${attempts}`);
        await forceSerializationFailure(tx);
      }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(attempts).toBe(MAX_RETRIES + 1);
    expect(await notes()).toEqual([]);
  });

  test("a nested call does not retry by itself: the outermost reruns the whole transaction", async () => {
    let outer = 0;
    let inner = 0;
    await inTransaction(system, async (tx) => {
      outer++;
      await note(tx, `outer ${outer}`);
      await inTransaction(tx, async (nested) => {
        inner++;
        if (inner === 1) await forceSerializationFailure(nested);
      });
    });
    expect({ outer, inner }).toEqual({ outer: 2, inner: 2 });
    expect(await notes()).toEqual(["outer 2"]);
  });

  test("does not retry other failures", async () => {
    let attempts = 0;
    const failing = inTransaction(system, async () => {
      attempts++;
      throw new Error("not a conflict");
    });
    await expect(failing).rejects.toThrow("not a conflict");
    expect(attempts).toBe(1);
  });
});

describe("inTransaction savepoints", () => {
  test("a nested failure rolls back to its savepoint and the outer work commits", async () => {
    await inTransaction(system, async (tx) => {
      await note(tx, "a: before");
      const failed = inTransaction(tx, async (nested) => {
        await note(nested, "b: inside the savepoint");
        throw new Error("nested failure");
      });
      await expect(failed).rejects.toThrow("nested failure");
      await note(tx, "c: after");
    });
    expect(await notes()).toEqual(["a: before", "c: after"]);
  });

  test("a released savepoint's work rolls back with the outer transaction", async () => {
    const failing = inTransaction(system, async (tx) => {
      await inTransaction(tx, (nested) => note(nested, "inner"));
      throw new Error("outer failure");
    });
    await expect(failing).rejects.toThrow("outer failure");
    expect(await notes()).toEqual([]);
  });

  test("join runs in the caller's transaction, no savepoint: its writes stand or fall with it", async () => {
    const failing = inTransaction(system, async (tx) => {
      const joined = await inTransaction(
        tx,
        async (inner) => {
          await note(inner, "joined");
          return inner;
        },
        { join: true },
      );
      expect(joined).toBe(tx);
      // Without a savepoint of its own, a failure inside is the whole transaction's: nothing after it runs.
      await expect(inTransaction(tx, () => tx.db.execute(sql`select 1/0`), { join: true })).rejects.toThrow();
      await expect((async () => note(tx, "after the failure"))()).rejects.toThrow();
      throw new Error("outer failure");
    });
    await expect(failing).rejects.toThrow("outer failure");
    expect(await notes()).toEqual([]);
  });
});

describe("afterCommit", () => {
  test("runs after the commit (another connection sees the row) and before inTransaction returns", async () => {
    const seen: string[][] = [];
    await inTransaction(system, async (tx) => {
      await note(tx, "committed");
      tx.afterCommit(async () => {
        seen.push(await notes());
      });
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([["committed"]]);
  });

  test("does not run when the transaction rolls back", async () => {
    let ran = false;
    const failing = inTransaction(system, async (tx) => {
      tx.afterCommit(() => {
        ran = true;
      });
      throw new Error("roll back");
    });
    await expect(failing).rejects.toThrow("roll back");
    expect(ran).toBe(false);
  });

  test("does not run when its savepoint rolls back; the outer transaction's callbacks still do", async () => {
    const ran: string[] = [];
    await inTransaction(system, async (tx) => {
      tx.afterCommit(() => ran.push("outer"));
      await inTransaction(tx, async (nested) => {
        nested.afterCommit(() => ran.push("rolled back savepoint"));
        throw new Error("nested failure");
      }).catch(() => {});
      await inTransaction(tx, async (nested) => {
        nested.afterCommit(() => ran.push("released savepoint"));
      });
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(["outer", "released savepoint"]);
  });

  test("runs exactly once after a retried commit", async () => {
    let attempts = 0;
    let calls = 0;
    await inTransaction(system, async (tx) => {
      attempts++;
      tx.afterCommit(() => calls++);
      if (attempts === 1) await forceSerializationFailure(tx);
    });
    expect(attempts).toBe(2);
    expect(calls).toBe(1);
  });

  test("a failing callback is logged, the later ones run, and the caller gets the committed result", async () => {
    const lines: string[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => lines.push(line) });
    const ran: string[] = [];
    const result = await inTransaction({ ...system, log }, async (tx) => {
      await note(tx, "kept");
      tx.afterCommit(() => {
        throw new Error("cache away");
      });
      tx.afterCommit(() => ran.push("second"));
      return 42;
    });
    expect(result).toBe(42);
    expect(ran).toEqual(["second"]);
    expect(await notes()).toEqual(["kept"]);
    expect(lines.join("")).toContain("cache away");
  });
});

describe("isolation", () => {
  test("opens the outermost transaction at the level asked for", async () => {
    const level = await inTransaction(system, (tx) => currentIsolation(tx), { isolation: "serializable" });
    expect(level).toBe("serializable");
    expect(await inTransaction(system, (tx) => currentIsolation(tx))).toBe("read committed");
  });

  test("a nested call, joined or not, may not ask for more than the outermost opened", async () => {
    const nested = inTransaction(system, (tx) =>
      inTransaction(tx, (inner) => currentIsolation(inner), { isolation: "serializable" }),
    );
    await expect(nested).rejects.toThrow(/must be the outermost/);
    const joined = inTransaction(system, (tx) =>
      inTransaction(tx, (inner) => currentIsolation(inner), { isolation: "serializable", join: true }),
    );
    await expect(joined).rejects.toThrow(/must be the outermost/);
    const weaker = inTransaction(
      system,
      (tx) => inTransaction(tx, (inner) => currentIsolation(inner), { isolation: "read committed" }),
      { isolation: "serializable" },
    );
    expect(await weaker).toBe("serializable");
  });
});

describe("TxCtx", () => {
  test("a plain Ctx, or one dressed up as a transaction, is refused where a TxCtx is required (tsc)", () => {
    // Never called: the @ts-expect-error lines are the assertions, checked by `bun run typecheck`.
    const compileOnly = (ctx: Ctx) => {
      // @ts-expect-error enqueue must run in the transaction of the write that needs it
      void enqueue(ctx, purgeIdempotencyKeysJob, {});
      // @ts-expect-error only inTransaction makes a TxCtx
      const fake: TxCtx = { ...ctx, afterCommit: () => {} };
      return fake;
    };
    expect(compileOnly).toBeFunction();
  });
});

async function currentIsolation(tx: TxCtx): Promise<string | undefined> {
  const [row] = await tx.db.execute<{ level: string }>(sql`select current_setting('transaction_isolation') as level`);
  return row?.level;
}

async function waitUntilWaitingOnLock(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [row] = await t.sql`select wait_event_type from pg_stat_activity where pid = ${pid}`;
    if (row?.wait_event_type === "Lock") return;
    await Bun.sleep(10);
  }
  throw new Error(`backend ${pid} never waited on a lock`);
}
