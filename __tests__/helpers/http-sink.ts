import { createHash } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import busboy from 'busboy';

import { tempDir } from './action.js';

/**
 * What the sink does with one request. Replies are used in order, one per request; when the
 * script runs out, every further request is stored and answered 201.
 */
export type SinkReply =
  /** Parse the multipart body, store the file, answer (201 with a JSON `url` by default). */
  | { kind: 'store'; status?: number; body?: string; headers?: Record<string, string> }
  /** Read the body, store nothing, answer this status. */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Reset the connection once this many body bytes have arrived. */
  | { kind: 'reset'; afterBytes: number }
  /** Stop reading and never answer, until the client gives up. */
  | { kind: 'stall' }
  /** Read the body, store nothing, answer a redirect. */
  | { kind: 'redirect'; status: number; location: string };

export interface StoredUpload {
  field: string;
  filename: string;
  mimeType: string;
  /** Where it was stored; '' when the sink discards files. */
  path: string;
  size: number;
  sha256: string;
}

export interface SinkRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** What the sink did with it. */
  reply: SinkReply['kind'];
  /** True when it carried `Authorization: Bearer <the sink's token>`. */
  authorized: boolean;
}

export interface HttpSink {
  /** The upload URL: http(s)://127.0.0.1:<port>/upload. */
  url: string;
  port: number;
  /** Every request, in the order they arrived, with its headers. */
  requests: SinkRequest[];
  uploads: StoredUpload[];
  /** Appends replies to the script. */
  script(...replies: SinkReply[]): void;
  stop(): Promise<void>;
}

export interface HttpSinkOptions {
  /** The bearer token to require; a store request without it is answered 401. */
  token?: string;
  replies?: SinkReply[];
  /** Hash and count each file without writing it to disk (for very large uploads). */
  discard?: boolean;
  /** Serve https with this key and certificate instead of plain http. */
  tls?: { key: string; cert: string };
}

/**
 * A real HTTP artifact endpoint on 127.0.0.1 (a free port): parses multipart bodies with
 * busboy, checks the bearer token, streams each file to disk while hashing it, and misbehaves
 * on cue. Stop it in `after`/`finally`: stop() also cuts connections left open by a stall.
 */
export async function startHttpSink(options: HttpSinkOptions = {}): Promise<HttpSink> {
  const storage = tempDir('k98-http-sink-');
  const replies = [...(options.replies ?? [])];
  const requests: SinkRequest[] = [];
  const uploads: StoredUpload[] = [];

  const scheme = options.tls ? 'https' : 'http';
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const reply = replies.shift() ?? { kind: 'store' };
    const authorized =
      options.token !== undefined && request.headers.authorization === `Bearer ${options.token}`;
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      reply: reply.kind,
      authorized,
    });
    const origin = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
    handle(reply, request, response, { authorized: authorized || !options.token, origin })
      .then((stored) => {
        if (stored) uploads.push(stored);
      })
      .catch(() => response.destroy());
  };
  const server = options.tls
    ? https.createServer(options.tls, onRequest)
    : http.createServer(onRequest);

  // Each stored file gets its own name below the storage directory.
  let counter = 0;
  async function handle(
    reply: SinkReply,
    request: IncomingMessage,
    response: ServerResponse,
    context: { authorized: boolean; origin: string },
  ): Promise<StoredUpload | undefined> {
    switch (reply.kind) {
      case 'stall':
        request.pause();
        return undefined;
      case 'redirect':
        // Read the body first: answering early and closing may reach the client as a reset
        // before the answer, which it retries (right for a real server, flaky for a script).
        await drain(request);
        response.writeHead(reply.status, { Location: reply.location }).end();
        return undefined;
      case 'reset': {
        let received = 0;
        request.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= reply.afterBytes) request.socket.resetAndDestroy();
        });
        return undefined;
      }
      case 'status':
        await drain(request);
        response.writeHead(reply.status, reply.headers).end(reply.body ?? '');
        return undefined;
      case 'store': {
        if (!context.authorized) {
          await drain(request);
          response.writeHead(401, { 'Content-Type': 'application/json' });
          response.end('{"error":"bad token"}');
          return undefined;
        }
        const target = options.discard ? '' : path.join(storage, String(counter + 1));
        counter++;
        const stored = await storeFile(request, target);
        const body = reply.body ?? JSON.stringify({ url: `${context.origin}/files/${counter}` });
        response.writeHead(reply.status ?? 201, reply.headers).end(body);
        return stored;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}/upload`,
    port,
    requests,
    uploads,
    script: (...more) => replies.push(...more),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(storage, { recursive: true, force: true });
    },
  };
}

/** Streams the first file of a multipart body to `target` ('' for nowhere), hashing it. */
async function storeFile(request: IncomingMessage, target: string): Promise<StoredUpload> {
  const parser = busboy({ headers: request.headers });
  const stored = new Promise<StoredUpload>((resolve, reject) => {
    let sawFile = false;
    parser.on('close', () => {
      if (!sawFile) reject(new Error('the multipart body holds no file'));
    });
    parser.on('file', (field, file, info) => {
      sawFile = true;
      const hash = createHash('sha256');
      let size = 0;
      const counting = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      const sink = target
        ? createWriteStream(target)
        : new Writable({ write: (_c, _e, done) => done() });
      pipeline(file, counting, sink)
        .then(() =>
          resolve({
            field,
            filename: info.filename ?? '',
            mimeType: info.mimeType,
            path: target,
            size,
            sha256: hash.digest('hex'),
          }),
        )
        .catch(reject);
    });
    parser.on('error', reject);
  });
  const [, file] = await Promise.all([pipeline(request, parser), stored]);
  return file;
}

function drain(request: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    request.resume();
    request.on('end', resolve);
    request.on('close', resolve);
  });
}
