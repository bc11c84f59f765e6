import { afterAll } from "bun:test";
import { SMTPServer } from "smtp-server";
import { freePort } from "./services";

/** A message as the SMTP server received it: its envelope and raw MIME text. */
export interface ReceivedMail {
  mailFrom: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server in this process for the test file, stopped after it: the app's mail goes
 * through nodemailer's SMTP transport (`env.SMTP_URL`) to it, and `received` holds what arrived.
 */
export async function useSmtpServer(): Promise<{ received: ReceivedMail[]; env: Record<string, string> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        done();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { received, env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Cartwright <orders@shop.test>" } };
}
