import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { SMTPServer } from "smtp-server";
import { freePort } from "../../tests/services";
import { createMailer } from "./mailer";

const dir = mkdtempSync(join(tmpdir(), "cartwright-mailer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("dev transport (SMTP_URL unset)", () => {
  test("logs each message and stores it as an .eml file", async () => {
    const lines: { msg: string; to?: string }[] = [];
    const log = pino({ level: "info" }, { write: (l: string) => lines.push(JSON.parse(l)) });
    const mailer = createMailer({ from: "Shop <shop@example.test>", dir, log });
    const sent = await mailer.send({ to: "ada@example.test", subject: "Your order CW-100001", text: "Thanks!" });

    expect(mailer.kind).toBe("dev");
    const eml = readFileSync(sent.file ?? "", "utf8");
    expect(eml).toContain("Subject: Your order CW-100001");
    expect(eml).toContain("To: ada@example.test");
    expect(eml).toContain("From: Shop <shop@example.test>");
    expect(lines).toContainEqual(expect.objectContaining({ msg: "mail (dev transport)", to: "ada@example.test" }));
  });
});

describe("SMTP transport (in-process smtp-server stand-in)", () => {
  test("delivers through SMTP_URL", async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, _session, done) {
        let data = "";
        stream.on("data", (c: Buffer) => {
          data += c.toString();
        });
        stream.on("end", () => {
          received.push(data);
          done();
        });
      },
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      const mailer = createMailer({
        smtpUrl: `smtp://127.0.0.1:${port}`,
        from: "shop@example.test",
        dir,
        log: pino({ level: "silent" }),
      });
      const sent = await mailer.send({ to: "grace@example.test", subject: "Reset your password", text: "Link" });
      mailer.close();
      expect(mailer.kind).toBe("smtp");
      expect(sent.messageId).toMatch(/@/);
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("Subject: Reset your password");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
