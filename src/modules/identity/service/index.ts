// For other modules, inside their own checks (customers ends an account's sessions on disable or role change).
export { revokeAllSessions } from "../sessions";
export * from "./accounts";
export * from "./email-tokens";
export * from "./mail";
