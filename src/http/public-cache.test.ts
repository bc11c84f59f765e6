import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { cacheControlOf, encodeOnce, etagOf, notModified } from "./public-cache";

describe("encodeOnce", () => {
  test("the body is the output's JSON and the ETag a strong validator of it", () => {
    const encoded = encodeOnce({ items: [{ id: "a" }] });
    expect(encoded.body).toBe('{"items":[{"id":"a"}]}');
    expect(encoded.etag).toBe(etagOf(encoded.body));
    expect(encoded.etag).toMatch(/^"[0-9a-z]+"$/);
  });

  test("one output object is encoded once; equal data in another object gets the same ETag", () => {
    const output = { items: [1, 2, 3] };
    expect(encodeOnce(output)).toBe(encodeOnce(output));
    expect(encodeOnce({ items: [1, 2, 3] }).etag).toBe(encodeOnce(output).etag);
    expect(encodeOnce({ items: [1, 2] }).etag).not.toBe(encodeOnce(output).etag);
  });
});

describe("cacheControlOf", () => {
  test("public, with max-age and stale-while-revalidate", () => {
    expect(cacheControlOf({ maxAgeSeconds: 60, staleWhileRevalidateSeconds: 300 })).toBe(
      "public, max-age=60, stale-while-revalidate=300",
    );
  });
});

describe("notModified (If-None-Match, weak comparison)", () => {
  const etag = '"abc123"';
  test("the current ETag, alone, weak, in a list, or *", () => {
    for (const header of [etag, `W/${etag}`, `"old", ${etag}`, `"old",W/${etag} , "x"`, "*"]) {
      expect({ header, match: notModified(header, etag) }).toEqual({ header, match: true });
    }
  });

  test("no header, another ETag, or the same characters unquoted do not match", () => {
    for (const header of [undefined, null, "", '"abc1234"', "abc123", 'W/"other"', '"abc123"x']) {
      expect({ header, match: notModified(header, etag) }).toEqual({ header, match: false });
    }
  });

  test("matches exactly when the list names the ETag (strong or weak) or *", () => {
    const tag = fc.stringMatching(/^[0-9a-z]{1,13}$/).map((s) => `"${s}"`);
    const listed = fc
      .record({ tag, weak: fc.boolean() })
      .map(({ tag, weak }) => ({ tag, text: weak ? `W/${tag}` : tag }));
    fc.assert(
      fc.property(tag, fc.array(listed, { minLength: 1, maxLength: 5 }), fc.boolean(), (current, list, star) => {
        const header = [...list.map((l) => l.text), ...(star ? ["*"] : [])].join(", ");
        const expected = star || list.some((l) => l.tag === current);
        expect(notModified(header, current)).toBe(expected);
      }),
    );
  });
});
