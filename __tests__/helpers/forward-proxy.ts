import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ForwardProxy {
  /** http://127.0.0.1:<port>, for HTTP_PROXY. */
  url: string;
  /** The absolute URLs it was asked to forward, and `CONNECT host:port` for tunnels. */
  forwarded: string[];
  stop(): Promise<void>;
}

/**
 * A forward proxy on 127.0.0.1, like a corporate proxy: it forwards absolute-URL requests
 * (http targets) and opens CONNECT tunnels (https targets), and refuses any target that is
 * not loopback so that a test can never send traffic off the machine.
 */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const forwarded: string[] = [];
  const server = http.createServer((request, response) => {
    const target = new URL(request.url ?? '');
    forwarded.push(target.href);
    if (target.hostname !== '127.0.0.1') {
      response.writeHead(403).end('this test proxy forwards to 127.0.0.1 only');
      return;
    }
    const upstream = http.request(target, { method: request.method, headers: request.headers });
    upstream.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      pipeline(answer, response).catch(() => response.destroy());
    });
    upstream.on('error', () => response.destroy());
    pipeline(request, upstream).catch(() => upstream.destroy());
  });

  // https targets: a CONNECT tunnel, to this machine only. The server forgets tunnelled
  // sockets, so they are kept here for stop() to cut.
  const tunnels = new Set<Duplex>();
  server.on('connect', (request: http.IncomingMessage, client: Duplex, head: Buffer) => {
    forwarded.push(`CONNECT ${request.url ?? ''}`);
    const [host, port] = (request.url ?? '').split(':');
    if (host !== '127.0.0.1' && host !== 'localhost') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const upstream = net.connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('close', () => tunnels.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    stop: async () => {
      server.closeAllConnections();
      for (const socket of tunnels) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
