import { connect, createServer, type Server, type Socket } from "node:net";

/** A loopback TCP proxy that can cut every connection and refuse new ones: a dependency going down, then back. */
export class TcpProxy {
  private up = true;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => {
      if (!proxy?.up) {
        client.destroy();
        return;
      }
      const upstream = connect(target.port, target.host);
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on("error", () => {});
        s.on("close", () => {
          proxy?.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("proxy has no port");
    proxy = new TcpProxy(server, address.port);
    return proxy;
  }

  /** Like a stopped server: open connections drop and new ones are refused. */
  async cut(): Promise<void> {
    this.up = false;
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  async restore(): Promise<void> {
    this.up = true;
    await new Promise<void>((resolve) => this.server.listen(this.port, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    if (this.up) await this.cut();
  }
}
