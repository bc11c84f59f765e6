import { describe, expect, test } from "bun:test";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { useTestApp } from "../../tests/harness";
import { anyone, query } from "../lib/operation";
import { router } from "../trpc/init";
import { procedureFor } from "../trpc/operations";
import { outputMismatch } from "./output-check";

const Item = z.object({ id: z.string(), tags: z.array(z.object({ name: z.string() })) });

describe("outputMismatch", () => {
  test("an exact value passes", () => {
    expect(outputMismatch(Item, { id: "a", tags: [{ name: "x" }] })).toBeNull();
  });

  test("names a field the schema does not have, however deep", () => {
    expect(outputMismatch(Item, { id: "a", tags: [{ name: "x", secret: 1 }] })).toBe(
      "tags[0].secret: not in the schema",
    );
    expect(outputMismatch(Item, { id: "a", tags: [], passwordHash: "$argon2id$" })).toBe(
      "passwordHash: not in the schema",
    );
  });

  test("names a field of the wrong type", () => {
    expect(outputMismatch(Item, { id: 1, tags: [] })).toContain("id:");
  });
});

const t = await useTestApp();

describe("a handler answering more than its schema, in tests", () => {
  const leaky = query({
    input: undefined,
    output: Item,
    access: anyone,
    // As a service that forgot to map a row would: one field too many.
    run: async () => ({ id: "a", tags: [], passwordHash: "$argon2id$..." }) as z.output<typeof Item>,
  });
  const caller = (checkOutputs: boolean) =>
    router({ leaky: procedureFor(leaky) }).createCaller({
      ...t.ctx(),
      resHeaders: new Headers(),
      secureCookies: false,
      checkOutputs,
    });

  test("fails the call (and so the suite) over tRPC", async () => {
    const error = await caller(true)
      .leaky()
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("INTERNAL_SERVER_ERROR");
    expect((error as TRPCError).message).toContain("passwordHash: not in the schema");
  });

  test("costs nothing in production, where outputs are not re-validated", async () => {
    expect(await caller(false).leaky()).toMatchObject({ id: "a" });
  });
});
