import { users } from "../../db/schema";
import type { Actor } from "../../lib/context";
import type { Me } from "./schemas";

/** The user columns a profile shows: never the password hash. */
export const profileColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  emailVerifiedAt: users.emailVerifiedAt,
  createdAt: users.createdAt,
};
export type ProfileRow = Pick<typeof users.$inferSelect, keyof typeof profileColumns>;

/** The one mapping from a user row to what `/me` shows (getMe, updateMe, sign-in results, cached principals, Customer). */
export const toMe = (u: ProfileRow): Me => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  emailVerified: u.emailVerifiedAt !== null,
  createdAt: u.createdAt.toISOString(),
});

// The profile authentication read with the session, for this request's actor
// only: keyed by the actor object, it cannot outlive the request or leak to
// another caller, and a made-up actor (tests, jobs) has none.
const profiles = new WeakMap<Actor, Me>();

/** Remembers what authentication read about this request's user. */
export const rememberProfile = (actor: Actor, me: Me) => void profiles.set(actor, me);

/** The profile authentication read for this actor, if it did; verified current as of the request's start. */
export const knownProfile = (actor: Actor): Me | undefined => profiles.get(actor);

/** Forgets it, once this request changed the profile. */
export const forgetProfile = (actor: Actor) => void profiles.delete(actor);
