import type { Actor } from "./context";
import { AppError } from "./errors";

/**
 * Admin operations. Until identity lands (issue 8), the only admin is the
 * bootstrap token from ADMIN_BOOTSTRAP_TOKEN; jobs and scripts act as system.
 */
export function assertAdmin(actor: Actor): void {
  if (actor.kind === "bootstrap-admin" || actor.kind === "system") return;
  if (actor.kind === "guest") throw new AppError("UNAUTHENTICATED", "Sign in as an admin to do this");
  throw new AppError("FORBIDDEN", "Only admins may do this");
}
