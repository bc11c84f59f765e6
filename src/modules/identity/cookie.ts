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
