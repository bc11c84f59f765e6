import { createServer } from "node:net";

const tryListen = (port: number) =>
  new Promise<number | null>((done) => {
    const srv = createServer();
    srv.once("error", () => done(null));
    srv.listen(port, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => done(typeof address === "object" && address ? address.port : null));
    });
  });

/** `wanted` when it is free on loopback, else a port the OS picks. */
export async function freePort(wanted = 0): Promise<number> {
  const port = (await tryListen(wanted)) ?? (await tryListen(0));
  if (port === null) throw new Error("no free port on 127.0.0.1");
  return port;
}
