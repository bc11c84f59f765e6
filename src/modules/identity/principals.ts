import { BoundedMap } from "../../lib/bounded-map";
import type { Role } from "../../lib/context";
import type { Me } from "./schemas";

/** What a validated credential stands for, kept in memory by the process that validated it. */
export type Principal = {
  /** Whose version guards it (versions.ts). */
  subject: string;
  /**
   * The subject's version, read before the database row this holds; null when
   * the row was read first (a credential seen for the first time, or the store
   * was away), so that it is read again before it is trusted from memory.
   */
  guard: { version: string | null } | null;
  /** When the row was read (Date.now()). */
  readAt: number;
} & (
  | { kind: "session"; userId: string; role: Role; sessionId: string; expiresAt: Date; profile: Me }
  | { kind: "apiKey"; keyId: string; scopes: readonly string[] }
);

/**
 * Principals by the hash of their credential (session id or API key hash),
 * bounded: past `maxEntries` the oldest read is dropped first.
 */
export class PrincipalCache {
  private readonly entries: BoundedMap<string, Principal>;

  constructor(maxEntries = 10_000) {
    this.entries = new BoundedMap(maxEntries);
  }

  get(hash: string): Principal | undefined {
    return this.entries.get(hash);
  }

  set(hash: string, principal: Principal): void {
    this.entries.set(hash, principal);
  }

  delete(hash: string): void {
    this.entries.delete(hash);
  }

  /** Forgets every principal of a subject (its version was bumped by this process). */
  dropSubject(subject: string): void {
    for (const [hash, principal] of this.entries) {
      if (principal.subject === subject) this.entries.delete(hash);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
