import type { z } from "zod";

/**
 * Why `value` is not exactly what `schema` describes, or null: a parse failure,
 * or a field the schema would strip (a leak the client types do not show).
 * Only tests pay for it; production answers without re-validating.
 */
export function outputMismatch(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    return parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  return extraField(value, parsed.data, "");
}

function extraField(raw: unknown, kept: unknown, at: string): string | null {
  if (Array.isArray(raw) && Array.isArray(kept)) {
    for (const [i, item] of raw.entries()) {
      const found = extraField(item, kept[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (!isRecord(raw) || !isRecord(kept)) return null;
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && !(key in kept)) return `${at}${at ? "." : ""}${key}: not in the schema`;
    const found = extraField(value, kept[key], `${at}${at ? "." : ""}${key}`);
    if (found) return found;
  }
  return null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !(v instanceof Date);
