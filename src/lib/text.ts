import { z } from "@hono/zod-openapi";

// The string schemas every input and path parameter is built from, so that no text reaches
// Postgres or a screen that either cannot take. Each refusal is a 400 naming the field and the
// first character at fault (as U+XXXX), on both transports.

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
const isControl = (code: number) => code <= 0x1f || (code >= 0x7f && code <= 0x9f);
const isLineBreak = (code: number) => code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
const isBidiControl = (code: number) => (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);

/**
 * Refused in every string: Postgres text cannot hold NUL, and an unpaired surrogate has no UTF-8
 * form (postgres.js would silently store U+FFFD in its place).
 */
function refusedAnywhere(code: number): string | undefined {
  if (code === 0) return "Must not contain NUL (U+0000)";
  if (code >= 0xd800 && code <= 0xdfff) return `Must not contain an unpaired surrogate (${hex(code)})`;
}

/**
 * Refused in text people read, besides: the bidirectional embeddings, overrides and isolates that
 * can make a name render as something else ("Trojan Source"), U+FFFD, which here means the client
 * sent bytes that were not UTF-8 (a JSON body is decoded leniently) rather than a character anyone
 * types, line breaks and other C0/C1 controls. The directional marks U+200E, U+200F and U+061C stay
 * allowed: right-to-left text needs them and they reorder nothing beyond their neighbours.
 */
function refusedInLine(code: number): string | undefined {
  const anywhere = refusedAnywhere(code);
  if (anywhere) return anywhere;
  if (isBidiControl(code)) return `Must not contain bidirectional control characters (${hex(code)})`;
  if (code === 0xfffd) return "Must not contain U+FFFD, the replacement character: was the text valid UTF-8?";
  if (isLineBreak(code)) return `Must be one line (${hex(code)})`;
  if (isControl(code)) return `Must not contain control characters (${hex(code)})`;
}

/** Prose may also hold tabs and line breaks. */
const refusedInProse = (code: number): string | undefined =>
  code === 0x09 || isLineBreak(code) ? undefined : refusedInLine(code);

/** A check refusing the first code point `rule` has a reason against; for-of walks code points, so pairs stay whole. */
const refusing = (rule: (code: number) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
  for (const char of value) {
    const why = rule(char.codePointAt(0) ?? 0);
    if (why) return ctx.addIssue({ code: "custom", message: why, input: value });
  }
};

/**
 * Any string input: refuses NUL and unpaired surrogates, nothing else. For secrets, tokens, search
 * terms, slugs and cursors, which are hashed, matched or decoded rather than shown.
 */
export const Text = z.string().superRefine(refusing(refusedAnywhere));

/**
 * One line of text people read (display names, address lines, API key names), trimmed. Refuses NUL,
 * unpaired surrogates, control characters (tabs and line breaks included), U+2028/U+2029,
 * bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and U+FFFD, the
 * mark of bytes that were not UTF-8. Add `.min(1)` and `.max(n)` at the field.
 */
export const Line = z.string().trim().superRefine(refusing(refusedInLine));

/** Free text people read (descriptions): as `Line`, but tabs and line breaks are allowed and nothing is trimmed. */
export const Prose = z.string().superRefine(refusing(refusedInProse));
