import { describe, expect, test } from "bun:test";
import { progressBar } from "./progress-bar";

const stream = (isTTY: boolean) => {
  const chunks: string[] = [];
  const out = { isTTY, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { out, text: () => chunks.join("") };
};

describe("progressBar", () => {
  test("without a terminal: a line per tenth of a long step and one at the end of a short one, no carriage returns", () => {
    const { out, text } = stream(false);
    const bar = progressBar(out);
    for (let i = 1; i <= 3; i++) bar("accounts", i, 3);
    for (let done = 0; done <= 250_000; done += 1000) bar("products", done, 250_000);
    bar.end();
    const lines = text().trimEnd().split("\n");
    expect(text()).not.toContain("\r");
    expect(lines[0]).toBe("  accounts: 3/3");
    expect(lines.filter((l) => l.startsWith("  products: ")).length).toBe(11);
    expect(lines.at(-1)).toStartWith("  products: 250,000/250,000");
  });

  test("on a terminal: one bar redrawn in place per step, a new line when the step changes", () => {
    const { out, text } = stream(true);
    const bar = progressBar(out);
    bar("categories", 7, 14);
    bar("categories", 14, 14);
    bar("products", 500, 1000);
    bar.end();
    const lines = text().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(`[${"#".repeat(30)}] 14/14`);
    expect(lines[1]).toContain(`[${"#".repeat(15)}${"-".repeat(15)}] 500/1,000`);
    expect(lines[2]).toBe("");
  });
});
