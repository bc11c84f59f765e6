import { describe, expect, test } from "bun:test";
import { BoundedMap } from "./bounded-map";

describe("BoundedMap", () => {
  test("past its limit, drops the key set longest ago; setting a key again makes it the newest", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2).set("a", 3).set("c", 4);
    expect([...map.entries()]).toEqual([
      ["a", 3],
      ["c", 4],
    ]);
  });
});
