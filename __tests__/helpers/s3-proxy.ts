import {
  createServer,
  request as forwardRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the proxy treats a request before (maybe) passing it to the S3 server:
 * - `forward`: passes everything on (counts requests; proves HTTP_PROXY is honoured).
 * - `reject-checksums`: 501 NotImplemented to any request carrying `x-amz-checksum-*`,
 *   `x-amz-trailer` or `Content-Encoding: aws-chunked`, like several S3-compatible stores.
 * - `wrong-region`: the bucket "lives" in `bucketRegion`; a request signed for another
 *   region gets what AWS answers then (301 PermanentRedirect, or 400
 *   AuthorizationHeaderMalformed), with the region in `x-amz-bucket-region`.
 * - `fail-parts`: 403 AccessDenied to every multipart part from `fromPart` on.
 * - `stall`: reads the request and never answers.
 */
export type ProxyBehaviour =
  | { kind: 'forward' }
  | { kind: 'reject-checksums' }
  | { kind: 'wrong-region'; bucketRegion: string; answer: 'redirect' | 'malformed' }
  | { kind: 'fail-parts'; fromPart: number }
  | { kind: 'stall' };

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The status the proxy answered itself, when it did not forward. */
  answered?: number;
  /** The S3 server's status, when forwarded. */
  status?: number;
}

export interface S3Proxy {
  /** http://127.0.0.1:<port>: use as HTTP_PROXY or as the S3 endpoint. */
  url: string;
  requests: SeenRequest[];
  stop(): Promise<void>;
}

/**
 * A loopback proxy in front of an S3 server. It works both as a forward proxy (HTTP_PROXY:
 * the request line holds an absolute URL) and as the endpoint itself; either way requests go
 * only to `upstream`, which must be on 127.0.0.1. Headers pass unchanged, so SigV4 still holds.
 */
export async function startS3Proxy(upstream: string, behaviour: ProxyBehaviour): Promise<S3Proxy> {
  const target = new URL(upstream);
  if (target.hostname !== '127.0.0.1') throw new Error(`upstream must be loopback: ${upstream}`);
  const requests: SeenRequest[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream);
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: url.pathname + url.search,
      headers: req.headers,
    };
    requests.push(seen);

    const refusal = refuse(req, behaviour);
    if (refusal) {
      seen.answered = refusal.status;
      answer(req, res, refusal);
      return;
    }
    if (behaviour.kind === 'stall') {
      req.resume();
      return;
    }
    const upstreamRequest = forwardRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: seen.path,
        headers: req.headers,
      },
      (upstreamResponse) => {
        seen.status = upstreamResponse.statusCode;
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on('error', () => res.destroy());
    req.pipe(upstreamRequest);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Refusal {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  extra?: string;
}

function refuse(req: IncomingMessage, behaviour: ProxyBehaviour): Refusal | undefined {
  if (behaviour.kind === 'fail-parts') {
    const part = Number(new URL(req.url ?? '/', 'http://proxy').searchParams.get('partNumber'));
    if (!part || part < behaviour.fromPart) return undefined;
    return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
  }
  if (behaviour.kind === 'reject-checksums') {
    const names = Object.keys(req.headers);
    const encoding = String(req.headers['content-encoding'] ?? '');
    const flexible =
      names.some((name) => name.startsWith('x-amz-checksum-') || name === 'x-amz-trailer') ||
      encoding.includes('aws-chunked');
    if (!flexible) return undefined;
    return {
      status: 501,
      code: 'NotImplemented',
      message: 'A header you provided implies functionality that is not implemented',
    };
  }
  if (behaviour.kind === 'wrong-region') {
    const signedFor = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(
      String(req.headers.authorization ?? ''),
    )?.[1];
    if (!signedFor || signedFor === behaviour.bucketRegion) return undefined;
    const headers = { 'x-amz-bucket-region': behaviour.bucketRegion };
    if (behaviour.answer === 'redirect') {
      return {
        status: 301,
        code: 'PermanentRedirect',
        message:
          'The bucket you are attempting to access must be addressed using the specified ' +
          'endpoint. Please send all future requests to this endpoint.',
        headers,
      };
    }
    return {
      status: 400,
      code: 'AuthorizationHeaderMalformed',
      message:
        `The authorization header is malformed; the region '${signedFor}' is wrong; ` +
        `expecting '${behaviour.bucketRegion}'`,
      headers,
      extra: `<Region>${behaviour.bucketRegion}</Region>`,
    };
  }
  return undefined;
}

function answer(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message>` +
    `${refusal.extra ?? ''}<RequestId>k98-test-proxy</RequestId></Error>`;
  // Drain what the client still sends, then answer and close, as S3 does on early errors.
  req.resume();
  res.writeHead(refusal.status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
    ...refusal.headers,
  });
  res.end(body);
}
