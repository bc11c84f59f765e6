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
  // The folder is made on the first mail, not at every one.
  let made: Promise<unknown> | null = null;
  return {
    kind: "dev",
    description: `dev transport (logged, written to ${opts.dir})`,
    async send(mail) {
      const info = await transport.sendMail({ from: opts.from, ...mail });
      made ??= mkdir(dir, { recursive: true }).catch((err: unknown) => {
        made = null;
        throw err;
      });
      await made;
      const file = `${dir}/${Date.now()}-${info.messageId.replace(/[^\w.-]/g, "")}.eml`;
      await writeFile(file, info.message as Buffer).catch((err: { code?: string }) => {
        if (err.code === "ENOENT") made = null; // the folder was removed: the job's retry makes it again
        throw err;
      });
      opts.log.info({ to: mail.to, subject: mail.subject, file }, "mail (dev transport)");
      return { ...mail, messageId: info.messageId, file };
    },
    close: () => transport.close(),
  };
}
