import type { SessionResult, SessionTransport } from "./schemas";
import { SESSION_COOKIE } from "./sessions";

/**
 * The one place the `session` cookie is written (sign-in, sign-out, sliding
 * refresh): HttpOnly, SameSite=Lax, Secure unless on plain-HTTP development.
 * A null session clears it.
 */
export function writeSessionCookie(
  appendHeader: (name: string, value: string) => void,
  session: { token: string; expiresAt: Date } | null,
  secure: boolean,
): void {
  const flags = `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  const maxAge = session ? Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)) : 0;
  appendHeader("Set-Cookie", `${SESSION_COOKIE}=${session?.token ?? ""}; ${flags}; Max-Age=${maxAge}`);
}

/**
 * A new session delivered as the client asked in its input's `session` field: "cookie" (the
 * default) sets the cookie and answers no token, "bearer" answers the token and sets no cookie.
 */
export function deliverSession(
  appendHeader: (name: string, value: string) => void,
  issued: SessionResult,
  input: unknown,
  secure: boolean,
): Partial<SessionResult> {
  const transport: SessionTransport = (input as { session?: SessionTransport } | undefined)?.session ?? "cookie";
  if (transport === "bearer") return issued;
  writeSessionCookie(appendHeader, { token: issued.token, expiresAt: new Date(issued.expiresAt) }, secure);
  const { token: _, ...answer } = issued;
  return answer;
}
