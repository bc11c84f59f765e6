// For other modules, inside their own checks: customers ends an account's sessions on disable or
// role change and shows accounts as /me does; api-keys tells every process a key changed.
export { profileColumns, toMe } from "../profile";
export { revokeAllSessions } from "../sessions";
export { apiKeyChanged } from "../versions";
export * from "./accounts";
export * from "./email-tokens";
export * from "./mail";
