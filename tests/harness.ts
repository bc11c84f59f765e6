import { afterAll } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client";
import postgres from "postgres";
import { type App, createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { closeDeps, createDeps, type Deps, systemCtx, workerDeps } from "../src/deps";
import { runDueJobs } from "../src/jobs/runner";
import type { Scope } from "../src/lib/access";
import type { Actor, Ctx, Role } from "../src/lib/context";
import { createLogger } from "../src/lib/logger";
import type { AppRouter } from "../src/trpc/router";
import { makeApiKey } from "./factories/api-keys";
import { makeUser, type TestUser } from "./factories/users";
import { OpenApiValidator } from "./openapi-validator";

export type { TestUser };

/** Someone a test acts as: a user from `t.user` or makeUser, or a key from makeApiKey. */
export interface Credential {
  actor: Actor;
  headers: Record<string, string>;
}

/** One caller on every path into the app: both transports with its credential, and services with its actor. */
export interface Caller extends Credential {
  trpc: TRPCClient<AppRouter>;
  /** Checks every response against the OpenAPI document, as `t.rest` does. */
  rest: RestClient;
  ctx: Ctx;
}

export interface SentMail {
  to: string;
  subject: string;
  text: string;
}
/** Whether this run has a real Redis (see tests/preload.ts). */
export const hasRedis = Boolean(process.env.CW_TEST_REDIS_URL);

export interface TestAppOptions {
  /** Use the run's real Redis (with this file's own key prefix) instead of the in-process store. */
  redis?: boolean;
  /** Extra environment for the app's config. */
  env?: Record<string, string>;
  /** Reach the file's database through another address (e.g. a proxy that can cut it off). */
  rewriteDatabaseUrl?: (url: URL) => URL;
  /** Run on this existing database (another app's `databaseUrl`), left for its owner to drop. */
  databaseUrl?: string;
}

export interface TestApp {
  app: App;
  deps: Deps;
  databaseUrl: string;
  /** A typed tRPC client over app.fetch, as a guest. */
  trpc: TRPCClient<AppRouter>;
  /** The same, sending these headers (e.g. `asAdmin`). */
  trpcWith(headers: Record<string, string>): TRPCClient<AppRouter>;
  /** REST calls over app.fetch; every response is checked against the OpenAPI document. */
  rest: RestClient;
  /** A service context with this actor (a guest by default); prefer `t.as(...).ctx` for a real one. */
  ctx(actor?: Actor): Ctx;
  sql: postgres.Sql;
  /** A new account with this role, signed in (tests/factories/users.ts). */
  user(role?: Role): Promise<TestUser>;
  /** Calls as this user or API key. */
  as(who: Credential): Caller;
  /** Calls as a new API key with these scopes (tests/factories/api-keys.ts). */
  asKey(scopes: Scope[]): Promise<Caller>;
  /** Runs every due job now (emails, ...). */
  runJobs(): Promise<void>;
  /** Mail the dev transport stored, oldest first. */
  mails(): SentMail[];
  /** Closes the app's connections and drops its database. */
  close(): Promise<void>;
}

let files = 0;

/** A fresh database cloned from the run's template and an app on it, torn down after the file. */
export async function useTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const t = await createTestApp(opts);
  afterAll(() => t.close());
  return t;
}

/** The same, for a caller that closes it itself (e.g. set up in a `beforeAll`). */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const adminUrl = process.env.CW_TEST_PG_ADMIN_URL;
  const template = process.env.CW_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error("tests/preload.ts did not run: use `bun test`");
  const name = `cw_test_${process.pid}_${++files}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const url = new URL(opts.databaseUrl ?? adminUrl);
  if (!opts.databaseUrl) {
    await admin.unsafe(`create database "${name}" template "${template}"`);
    url.pathname = `/${name}`;
  }
  const mailDir = mkdtempSync(join(tmpdir(), "cartwright-mail-"));

  const redisUrl = opts.redis ? process.env.CW_TEST_REDIS_URL : undefined;
  if (opts.redis && !redisUrl) throw new Error("this test needs Redis: guard it with hasRedis");
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DATABASE_URL: (opts.rewriteDatabaseUrl?.(new URL(url)) ?? url).toString(),
    DATABASE_POOL_SIZE: "5",
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `${name}:`,
    // Tests pick their client address with X-Forwarded-For (rate limits are per IP).
    TRUST_PROXY: "true",
    WORKER_ENABLED: "false",
    MAIL_DIR: mailDir,
    ...opts.env,
  });
  const log = createLogger({ level: config.LOG_LEVEL, pretty: false });
  // Some files test a Redis that is down from the start: the app must come up without it.
  const deps = await createDeps(config, log, { migrate: false, requireRedis: false });
  const app = createApp({ ...deps, workerStatus: () => "disabled" });

  const close = async () => {
    await closeDeps(deps);
    if (!opts.databaseUrl) await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
    rmSync(mailDir, { recursive: true, force: true });
  };

  const trpcWith = (headers: Record<string, string>) =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: "http://cartwright.test/trpc",
          headers,
          fetch: async (input, init) => app.fetch(new Request(input as string, init as RequestInit)),
        }),
      ],
    });

  const ctx = (actor: Actor = { kind: "guest" }): Ctx => ({ ...systemCtx(deps, "test"), actor });
  const rest = new RestClient(app);
  const as = ({ actor, headers }: Credential): Caller => ({
    actor,
    headers,
    trpc: trpcWith(headers),
    rest: rest.with(headers),
    ctx: ctx(actor),
  });

  const t: TestApp = {
    app,
    deps,
    user: (role) => makeUser(t, role),
    as,
    asKey: async (scopes) => as(await makeApiKey(t, scopes)),
    runJobs: () => runDueJobs(workerDeps(deps)),
    mails: () => readMails(mailDir),
    databaseUrl: url.toString(),
    trpc: trpcWith({}),
    trpcWith,
    rest,
    ctx,
    sql: deps.database.sql,
    close,
  };
  return t;
}

export interface RestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RestRequest {
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export class RestClient {
  constructor(
    private readonly app: App,
    /** Sent with every request; a request's own headers win. */
    private readonly defaults: Record<string, string> = {},
    private readonly validator = once(() => OpenApiValidator.load(app)),
  ) {}

  /** The same client sending these headers too, sharing its loaded validator. */
  with(headers: Record<string, string>): RestClient {
    return new RestClient(this.app, { ...this.defaults, ...headers }, this.validator);
  }

  async request(method: string, path: string, req: RestRequest = {}): Promise<RestResponse> {
    const headers: Record<string, string> = { ...this.defaults, ...req.headers };
    let body: string | undefined = req.rawBody;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await this.app.fetch(new Request(`http://cartwright.test${path}`, { method, headers, body }));
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    const parsed = type.includes("json") && text ? JSON.parse(text) : text;
    if (path.startsWith("/api/v1/") && path !== "/api/v1/openapi.json") {
      (await this.validator()).check(method, path, res.status, type, parsed);
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  get = (path: string, req?: RestRequest) => this.request("GET", path, req);
  post = (path: string, body?: unknown, req?: RestRequest) => this.request("POST", path, { ...req, body });
  patch = (path: string, body?: unknown, req?: RestRequest) => this.request("PATCH", path, { ...req, body });
  put = (path: string, body?: unknown, req?: RestRequest) => this.request("PUT", path, { ...req, body });
  delete = (path: string, req?: RestRequest) => this.request("DELETE", path, req);
}

/** `make`'s result, made on the first call only (the validator is loaded once per app). */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** The dev transport's .eml files, decoded enough for tests (plain-text bodies, quoted-printable). */
function readMails(dir: string): SentMail[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .map((f) => {
      const raw = readFileSync(join(dir, f), "utf8");
      const [head = "", ...body] = raw.split("\n\n");
      const header = (name: string) => head.match(new RegExp(`^${name}: (.*)$`, "mi"))?.[1]?.trim() ?? "";
      // Quoted-printable escapes are bytes of UTF-8 text: gathered as bytes, then read as UTF-8.
      const bytes = body
        .join("\n\n")
        .replace(/=\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
      const text = Buffer.from(bytes, "latin1").toString("utf8");
      return { to: header("To"), subject: header("Subject"), text };
    });
}
