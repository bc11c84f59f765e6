import type { Actor } from "../lib/context";
import type { AnyOperation, PublicCache } from "../lib/operation";

/** An answer as sent: its JSON text and the strong ETag of that text. */
export interface EncodedBody {
  body: string;
  etag: string;
}

// By the output object itself: a cache hit hands out the same object until its entry
// changes (src/lib/cache.ts), so a cached read is serialized and hashed once per version,
// and the body can never outlive the data's tags. A fresh object (an uncached read) is encoded anew.
const encoded = new WeakMap<object, EncodedBody>();

/** The JSON body of an operation's output and its ETag, made once per output object. */
export function encodeOnce(output: object): EncodedBody {
  let known = encoded.get(output);
  if (!known) {
    const body = JSON.stringify(output);
    known = { body, etag: etagOf(body) };
    encoded.set(output, known);
  }
  return known;
}

/** A strong ETag: a 64-bit hash of the bytes sent, the same in every process. */
export const etagOf = (body: string) => `"${Bun.hash(body).toString(36)}"`;

/**
 * Whether a public operation's answer to this caller may be stored by shared caches. Only
 * for requests without credentials: a signed-in caller's response carries its own
 * rate-limit state and perhaps a renewed session cookie, and stays `no-store`.
 */
export const publiclyCacheable = (op: AnyOperation, actor: Actor): op is AnyOperation & { publicCache: PublicCache } =>
  op.publicCache !== undefined && op.output !== undefined && actor.kind === "guest";

const policies = new WeakMap<PublicCache, string>();

/** The Cache-Control value of a declaration's policy. */
export function cacheControlOf(policy: PublicCache): string {
  let value = policies.get(policy);
  if (!value) {
    value = `public, max-age=${policy.maxAgeSeconds}, stale-while-revalidate=${policy.staleWhileRevalidateSeconds}`;
    policies.set(policy, value);
  }
  return value;
}

/**
 * Whether If-None-Match names the current ETag, so the answer is 304: `*`, or any listed
 * tag equal to it under the weak comparison RFC 9110 (13.1.2) asks for.
 */
export function notModified(ifNoneMatch: string | undefined | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch === etag) return true;
  return ifNoneMatch.split(",").some((listed) => {
    const tag = listed.trim();
    return tag === "*" || (tag.startsWith("W/") ? tag.slice(2) : tag) === etag;
  });
}
