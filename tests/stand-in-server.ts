import type { Server } from "bun";

/**
 * A local HTTP stand-in for an outside service (Stripe, Typesense) that the app reaches through
 * the service's real SDK: it can go away and come back on the same port, keeping what it holds.
 */
export abstract class StandInServer {
  private server: Server<undefined> | null = null;
  private port = 0;

  protected abstract handle(req: Request): Promise<Response>;

  /** Starts (or starts again, on the same port, after `stop`) and answers its URL. */
  start(): string {
    this.server = Bun.serve({ port: this.port, hostname: "127.0.0.1", fetch: (req) => this.handle(req) });
    this.port = this.server.port ?? 0;
    return this.url;
  }

  /** Goes away as a crashed service would: connections are refused until `start`. What it holds stays. */
  async stop(): Promise<void> {
    await this.server?.stop(true);
    this.server = null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}
