import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { createTestApp, type TestApp } from "./harness";
import { type ServerProcess, startServer } from "./server-process";

// Debian's chromium, never a downloaded one: .ci/run installs it where it is missing.
const CHROMIUM = "/usr/bin/chromium";

// Texts of Scalar's buttons that lead to its cloud (its English locale).
const VENDOR_BUTTONS = ["Ask AI", "Generate MCP", "Connect MCP", "Deploy", "Share", "Open API Client"];

/** Whether the browser may fetch this URL without leaving the machine. */
const onThisMachine = (url: string) =>
  url.startsWith("data:") || url.startsWith("blob:") || ["127.0.0.1", "localhost"].includes(new URL(url).hostname);

// CI installs it (.ci/run), so there a missing browser fails the run instead of skipping the test.
const skip = !existsSync(CHROMIUM) && !process.env.CI;

describe.skipIf(skip)(`/docs in a browser (skipped outside CI where ${CHROMIUM} is missing)`, () => {
  let t: TestApp;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    [server, browser] = await Promise.all([
      startServer({ DATABASE_URL: t.databaseUrl, MIGRATE_ON_BOOT: "false", WORKER_ENABLED: "false" }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      }),
    ]);
    page = await browser.newPage();
    // Fail on a missing element with its name, well before the test's own timeout.
    page.setDefaultTimeout(5_000);
    page.on("request", (request) => requested.push(request.url()));
    // A browser's first start on a fresh machine builds its font cache: navigation and first render get room for it.
    await page.goto(`${server.url}/docs`, { waitUntil: "domcontentloaded", timeout: 30_000 });
    // The first tag opens by itself: one of its operations rendered means the document was read and laid out.
    await page.getByText("Sign in with email and password").first().waitFor({ timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    server?.proc.kill("SIGTERM");
    await server?.proc.exited;
    await t?.close();
  }, 30_000);

  test("renders our operations from our document", async () => {
    expect(requested).toContain(`${server.url}/api/v1/openapi.json`);
    expect(await page.getByText("Cartwright API", { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText("/api/v1/auth/sessions/current", { exact: true }).first().isVisible()).toBe(true);
  });

  test("Test Request sends to this server, not through Scalar's proxy", async () => {
    await page.getByText("Catalog", { exact: true }).first().click();
    await page.getByRole("button", { name: "Test Request (get /api/v1/categories)" }).click();
    const answered = page.waitForResponse((response) => response.url() === `${server.url}/api/v1/categories`);
    await page.getByRole("button", { name: `Send get request to ${server.url}/api/v1/categories` }).click();
    expect((await answered).status()).toBe(200);
  });

  // After the client opened above, so its buttons are looked at too.
  test("shows none of the vendor's cloud buttons", async () => {
    const visible: string[] = [];
    for (const text of VENDOR_BUTTONS) {
      if (await page.getByText(text, { exact: true }).filter({ visible: true }).count()) visible.push(text);
    }
    expect(visible).toEqual([]);
  });

  // Last, so it covers what the page fetched for the tests above too (fonts, lazy chunks, the client).
  test("every request the page made stayed on this machine", () => {
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => !onThisMachine(url))).toEqual([]);
  });
});
