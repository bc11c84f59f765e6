// Node module hooks (`node --import ./scripts/typescript-api-hooks.mjs ...`): a tool that
// needs the TypeScript compiler API (openapi-typescript) gets TypeScript 5.9, installed as
// `typescript-api`, since the repository's TypeScript 7 (the native compiler) has no API.
import { register } from "node:module";

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  return next(specifier === "typescript" ? "typescript-api" : specifier, context);
}`)}`,
  import.meta.url,
);
