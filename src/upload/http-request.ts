import { createReadStream } from 'node:fs';
import http, { type Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';

import FormData from 'form-data';

import { errorMessage } from '../errors.js';
import { USER_AGENT } from '../version.js';
import { PermanentError, RetryableError } from './retry.js';
import { StallError, StallWatchdog } from './stall.js';

/** One multipart POST of a file. */
export interface FilePost {
  url: URL;
  /** Sent as `Authorization: Bearer`; empty for none. */
  token: string;
  filePath: string;
  fileName: string;
  /** The file's size in bytes, so the body's length is known up front. */
  size: number;
  stallTimeoutMs: number;
  /** A proxy agent; undefined for a direct connection. */
  agent?: Agent;
}

/** What the server answered. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The start of the response body (at most RESPONSE_TEXT_LIMIT bytes). */
  text: string;
}

/** Enough for a JSON answer with a link or an error message; the rest is drained. */
export const RESPONSE_TEXT_LIMIT = 64 * 1024;

/**
 * Streams the file from disk as field `file` of a multipart/form-data POST and resolves with
 * the answer, whatever its status. The form-data package piped into http(s).request with a
 * known length keeps memory flat however large the file is (fetch with a file-backed blob
 * held the whole body in memory). Network errors and stalls reject with a RetryableError.
 */
export function postFile(post: FilePost): Promise<HttpAnswer> {
  // form-data takes a known length of 0 for "unknown", so an empty file goes as a buffer.
  const file = post.size > 0 ? createReadStream(post.filePath) : undefined;
  const form = new FormData();
  form.append('file', file ?? Buffer.alloc(0), {
    filename: post.fileName,
    contentType: 'application/gzip',
    knownLength: post.size,
  });

  let length: number;
  try {
    length = form.getLengthSync();
  } catch (error) {
    file?.destroy();
    throw new PermanentError(`cannot size the upload body: ${errorMessage(error)}`);
  }

  const headers: OutgoingHttpHeaders = {
    ...form.getHeaders(),
    'Content-Length': String(length),
    'User-Agent': USER_AGENT,
    Accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
    Connection: 'close',
  };
  if (post.token) headers.Authorization = `Bearer ${post.token}`;

  const transport = post.url.protocol === 'https:' ? https : http;
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const request = transport.request(post.url, {
      method: 'POST',
      headers,
      // No pooling: one connection per attempt, closed when it ends.
      agent: post.agent ?? false,
    });
    const watchdog = new StallWatchdog(post.stallTimeoutMs, () =>
      request.destroy(new StallError(post.stallTimeoutMs)),
    );

    // Ends the attempt once: stops the timer, the file and the connection.
    const settle = (error: Error | undefined, answer?: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      watchdog.stop();
      file?.destroy();
      request.destroy();
      if (error) reject(error);
      else resolve(answer as HttpAnswer);
    };

    // The form pauses while the socket is full, so its data events are the upload's progress.
    form.on('data', () => watchdog.progress());
    form.on('error', (error: Error) => settle(error));
    // Once an answer is coming, a failed write (a server that answers early, like a 401 or a
    // 413, and closes) is not the outcome: the answer is.
    let answered = false;
    request.on('error', (error) => {
      if (!answered) settle(classify(error));
    });

    request.on('response', (response) => {
      answered = true;
      watchdog.progress();
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        watchdog.progress();
        if (kept >= RESPONSE_TEXT_LIMIT) return;
        chunks.push(chunk.subarray(0, RESPONSE_TEXT_LIMIT - kept));
        kept += Math.min(chunk.length, RESPONSE_TEXT_LIMIT - kept);
      });
      response.on('end', () =>
        settle(undefined, {
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', (error) => settle(classify(error)));
      response.on('aborted', () =>
        settle(new RetryableError('the connection closed in the middle of the response')),
      );
    });

    // Start the body only once the request has its socket: http-proxy-agent rewrites the
    // request line when it connects, and a body written before that got the headers twice.
    request.once('socket', () => form.pipe(request));
  });
}

/**
 * Network errors (reset, refused, timed out, DNS) are worth another attempt; a certificate
 * that is not trusted is not, and says how to fix it.
 */
function classify(error: Error): Error {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const text = code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  const classified = /CERT|SELF_SIGNED|^UNABLE_TO_/.test(code)
    ? new PermanentError(
        `the endpoint's TLS certificate was not accepted: ${text}; fix the certificate, or ` +
          'trust its CA with NODE_EXTRA_CA_CERTS',
      )
    : new RetryableError(text);
  classified.cause = error;
  return classified;
}
