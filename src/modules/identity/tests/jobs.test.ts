import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../../tests/harness";
import { workerDeps } from "../../../deps";
import { sendAccountEmail } from "../tasks/send-account-email";

const t = await useTestApp();

describe("send-account-email", () => {
  test("run twice, it leaves exactly one working link (the newest)", async () => {
    const u = await t.user();
    const task = sendAccountEmail;
    const system = t.ctx({ kind: "system", name: "test" });
    await task.run(system, { userId: u.id, purpose: "reset_password" }, workerDeps(t.deps));
    await task.run(system, { userId: u.id, purpose: "reset_password" }, workerDeps(t.deps));
    const tokens = t
      .mails()
      .filter((m) => m.to === u.email)
      .map((m) => m.text.match(/token=([\w-]+)/)?.[1] ?? "");
    expect(tokens).toHaveLength(2);
    const [older, newer] = tokens;
    const confirm = (token = "") =>
      t.rest.post("/api/v1/auth/password-reset/confirm", { token, password: "a fresh passphrase here" });
    expect((await confirm(older)).status).toBe(400);
    expect((await confirm(newer)).status).toBe(204);
  });

  test("sends nothing for a disabled account or an already verified email", async () => {
    const u = await t.user();
    const system = t.ctx({ kind: "system", name: "test" });
    const before = t.mails().length;
    await sendAccountEmail.run(system, { userId: u.id, purpose: "verify_email" }, workerDeps(t.deps));
    await t.sql`update users set disabled_at = now() where id = ${u.id}`;
    await sendAccountEmail.run(system, { userId: u.id, purpose: "reset_password" }, workerDeps(t.deps));
    expect(t.mails()).toHaveLength(before);
  });
});
