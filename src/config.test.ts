import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "./config";

describe("loadConfig", () => {
  test("with nothing set, gives the embedded defaults", () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    // Unset, so the embedded Postgres may place its data where its user can reach it.
    expect(config.EMBEDDED_PG_DIR).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 3000,
      WORKER_ENABLED: true,
      MIGRATE_ON_BOOT: true,
      CORS_ORIGINS: [],
    });
  });

  test("parses lists, booleans and numbers", () => {
    const config = loadConfig({
      CORS_ORIGINS: "https://a.example, https://b.example",
      WORKER_ENABLED: "false",
      PORT: "8080",
    });
    expect(config.CORS_ORIGINS).toEqual(["https://a.example", "https://b.example"]);
    expect(config.WORKER_ENABLED).toBe(false);
    expect(config.PORT).toBe(8080);
  });

  test("treats an empty value as unset", () => {
    const config = loadConfig({ DATABASE_URL: "", PORT: "" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
  });

  test("names every bad variable in one message", () => {
    const attempt = () => loadConfig({ PORT: "70000", DATABASE_URL: "mysql://x", WORKER_ENABLED: "maybe" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT: .*; DATABASE_URL: must be a URL \(postgres, postgresql\); WORKER_ENABLED: /);
  });
});
