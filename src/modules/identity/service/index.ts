export * from "./accounts";
export * from "./email-tokens";
export * from "./mail";
