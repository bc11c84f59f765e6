import type { Ctx } from "../../lib/context";

// A signed-in caller's subject is its actor key (lib/context.ts actorKey):
// `user:<id>` for every session of a user, `key:<id>` for an API key. Its
// version is a cache tag: bumping it makes each process re-check, against the
// database, every principal of that subject it holds (principals.ts).

export const userSubject = (userId: string) => `user:${userId}`;
export const apiKeySubject = (keyId: string) => `key:${keyId}`;

const TAG_PREFIX = "principal:";

/** The cache tag holding a subject's version. */
export const principalTag = (subject: string) => `${TAG_PREFIX}${subject}`;

/** The subject a tag is the version of, or null for any other tag. */
export const subjectOfTag = (tag: string) => (tag.startsWith(TAG_PREFIX) ? tag.slice(TAG_PREFIX.length) : null);

/**
 * After a committed change to what a user's sessions may do or what `/me`
 * shows: every process re-checks them on their next request. Call it once the
 * change is committed, never inside the transaction (domain.md "Transactions,
 * caches and outside services").
 */
export const userChanged = (ctx: Pick<Ctx, "cache">, userId: string) =>
  ctx.cache.invalidateTags([principalTag(userSubject(userId))]);

/** The same for an API key (revoked). */
export const apiKeyChanged = (ctx: Pick<Ctx, "cache">, keyId: string) =>
  ctx.cache.invalidateTags([principalTag(apiKeySubject(keyId))]);
