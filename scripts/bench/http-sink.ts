/**
 * A loopback HTTP endpoint that accepts an upload and throws the bytes away, counting them:
 * the benchmark measures the client, so the sink does as little as it can.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpSink {
  url: string;
  /** Body bytes received by the last request. */
  lastBytes: () => number;
  stop: () => Promise<void>;
}

export async function startHttpSink(): Promise<HttpSink> {
  let lastBytes = 0;
  const server: Server = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      lastBytes = bytes;
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ url: `http://127.0.0.1/stored/${Date.now()}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/upload`,
    lastBytes: () => lastBytes,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
