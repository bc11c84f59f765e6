import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import nodemailer from "nodemailer";
import type { Logger } from "./logger";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface SentMail extends Mail {
  messageId: string;
  /** The .eml file the dev transport wrote. */
  file?: string;
}

export interface Mailer {
  readonly kind: "smtp" | "dev";
  readonly description: string;
  send(mail: Mail): Promise<SentMail>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl?: string;
  from: string;
  dir: string;
  log: Logger;
}

/** SMTP through nodemailer when SMTP_URL is set; otherwise a dev transport that logs each message and writes it as .eml. */
export function createMailer(opts: MailerOptions): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    const host = new URL(opts.smtpUrl).host;
    return {
      kind: "smtp",
      description: `smtp at ${host}`,
      async send(mail) {
        const info = await transport.sendMail({ from: opts.from, ...mail });
        return { ...mail, messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const dir = resolve(opts.dir);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "dev",
    description: `dev transport (logged, written to ${opts.dir})`,
    async send(mail) {
      const info = await transport.sendMail({ from: opts.from, ...mail });
      const file = `${dir}/${Date.now()}-${info.messageId.replace(/[^\w.-]/g, "")}.eml`;
      // The folder is made when a mail finds it missing (the first, or after it was removed), not at every one.
      await writeFile(file, info.message as Buffer).catch(async (err: { code?: string }) => {
        if (err.code !== "ENOENT") throw err;
        await mkdir(dir, { recursive: true });
        await writeFile(file, info.message as Buffer);
      });
      opts.log.info({ to: mail.to, subject: mail.subject, file }, "mail (dev transport)");
      return { ...mail, messageId: info.messageId, file };
    },
    close: () => transport.close(),
  };
}
