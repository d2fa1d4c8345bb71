import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';

export interface ForwardProxy {
  /** http://127.0.0.1:<port>, for HTTP_PROXY. */
  url: string;
  /** The absolute URLs it was asked to forward. */
  forwarded: string[];
  stop(): Promise<void>;
}

/**
 * A plain HTTP forward proxy on 127.0.0.1, like a corporate proxy for http:// targets: it
 * forwards absolute-URL requests, and refuses any target that is not loopback so a test can
 * never send traffic off the machine.
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

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
