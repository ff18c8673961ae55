/** A small JSON-over-HTTP server for the demo's stand-in business systems (they live outside Warden). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

export type Handler = (
  req: http.IncomingMessage,
  body: string,
) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown };

export async function serveJson(handler: Handler, port = 0): Promise<DemoServer> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let out: { status: number; body: unknown };
    try {
      out = await handler(req, Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      out = { status: 500, body: { error: 'internal', message: (err as Error).message } };
    }
    res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
