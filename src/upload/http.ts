import { statSync } from 'node:fs';

import { errorMessage } from '../errors.js';
import { collectingGarbage } from '../memory/collecting-garbage.js';
import { postFile, type HttpAnswer } from './http-request.js';
import { describeStatus, failureFor, locationFrom } from './http-response.js';
import { describeProxy, proxyAgentFor, proxyFor } from './proxy.js';
import { PermanentError, withRetries, type Sleep } from './retry.js';
import type { UploadRequest, UploadResult, Uploader } from './types.js';

/** Spent file chunks allowed to pile up before a collection is forced (see collectingGarbage). */
const HTTP_GARBAGE_GROWTH = 16 * 1024 * 1024;

/** Same-origin 307/308 redirects followed within one attempt. */
const MAX_REDIRECTS = 5;

export interface HttpUploaderOptions {
  /** The wait between attempts; injectable so tests do not wait. */
  sleep?: Sleep;
}

/**
 * The HTTP destination: a multipart POST of the archive to an artifact endpoint with a
 * bearer token, retried on network errors, stalls, 408, 429 and 5xx.
 */
export function createHttpUploader(options: HttpUploaderOptions = {}): Uploader {
  return {
    destination: 'http',
    upload: (request) => uploadOverHttp(request, options),
  };
}

export const httpUploader: Uploader = createHttpUploader();

async function uploadOverHttp(
  request: UploadRequest,
  options: HttpUploaderOptions,
): Promise<UploadResult> {
  const { url: rawUrl, token, allowInsecureHttp } = request.settings.http;
  const { reporter } = request;
  if (token) reporter.setSecret(token);
  const mask = (text: string): string => (token ? text.split(token).join('***') : text);
  const failed = (error: string): UploadResult => ({
    destination: 'http',
    ok: false,
    outputs: {},
    error: mask(error),
  });

  const endpoint = parseEndpoint(rawUrl);
  if (typeof endpoint === 'string') return failed(endpoint);
  if (token && !allowInsecureHttp && !isSafeForToken(endpoint)) {
    return failed(
      `http-url ${displayUrl(endpoint)} uses plain http:// to a host that is not loopback, ` +
        'so the token would travel unencrypted; use https://, or set allow-insecure-http: true ' +
        'if that network is trusted',
    );
  }

  const proxy = proxyFor(endpoint);
  reporter.info(
    mask(
      `Uploading ${request.archiveName} (${request.size} bytes) to ${displayUrl(endpoint)}` +
        (proxy ? ` through proxy ${describeProxy(proxy)}` : ''),
    ),
  );

  const agent = proxyAgentFor(endpoint);
  try {
    // Node 24 left some 50 MB of spent file chunks uncollected during a 300 MiB upload.
    const { answer, url } = await collectingGarbage(
      HTTP_GARBAGE_GROWTH,
      (message) => reporter.debug(message),
      () =>
        withRetries(() => postWithRedirects(request, endpoint, agent), {
          retries: request.settings.retries,
          log: (message) => reporter.info(mask(message)),
          label: 'HTTP upload',
          sleep: options.sleep,
        }),
    );
    const location = mask(locationFrom(answer, url));
    reporter.info(`The endpoint answered ${describeStatus(answer.status)}`);
    return {
      destination: 'http',
      ok: true,
      location: location || undefined,
      outputs: { 'http-location': location },
    };
  } catch (error) {
    return failed(errorMessage(error));
  } finally {
    agent?.destroy();
  }
}

/**
 * One attempt: posts the archive, following 307/308 redirects within the same origin (they
 * keep the method and body). A redirect to another scheme, host or port is refused: the token
 * must never reach another origin, and another status cannot carry the upload's body.
 */
async function postWithRedirects(
  request: UploadRequest,
  endpoint: URL,
  agent: ReturnType<typeof proxyAgentFor>,
): Promise<{ answer: HttpAnswer; url: URL }> {
  const size = archiveSize(request.archivePath);
  let url = endpoint;

  for (let hop = 0; ; hop++) {
    const answer = await postFile({
      url,
      token: request.settings.http.token,
      filePath: request.archivePath,
      fileName: request.archiveName,
      size,
      stallTimeoutMs: request.settings.stallTimeoutMs,
      agent,
    });
    if (answer.status >= 200 && answer.status < 300) return { answer, url };
    if (answer.status < 300 || answer.status >= 400) {
      throw failureFor(answer, { hasToken: request.settings.http.token !== '', size });
    }

    const target = redirectTarget(answer, url);
    const status = describeStatus(answer.status);
    if (!target) throw new PermanentError(`the endpoint answered ${status} without a Location`);
    if (target.origin !== url.origin) {
      throw new PermanentError(
        `the endpoint answered ${status} to ${displayUrl(target)}, another origin; not followed, ` +
          'so the token is not sent there. If that address is trusted, set http-url to it',
      );
    }
    if (answer.status !== 307 && answer.status !== 308) {
      throw new PermanentError(
        `the endpoint answered ${status} to ${displayUrl(target)}; a ${answer.status} redirect ` +
          'drops the upload body, so set http-url to the address that accepts the POST',
      );
    }
    if (hop >= MAX_REDIRECTS) {
      throw new PermanentError(`more than ${MAX_REDIRECTS} redirects; check http-url`);
    }
    request.reporter.info(`Redirected (${status}) to ${displayUrl(target)}`);
    url = target;
  }
}

function redirectTarget(answer: HttpAnswer, base: URL): URL | undefined {
  if (!answer.headers.location) return undefined;
  try {
    return new URL(answer.headers.location, base);
  } catch {
    return undefined;
  }
}

/** The archive's size now, so the Content-Length matches what is read. */
function archiveSize(archivePath: string): number {
  try {
    return statSync(archivePath).size;
  } catch (error) {
    throw new PermanentError(`cannot read the archive ${archivePath}: ${errorMessage(error)}`);
  }
}

/** The endpoint as a URL, or the error message when it is not an http(s) URL. */
function parseEndpoint(value: string): URL | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `http-url '${value}' is not a URL; give one like https://artifacts.example.com/upload`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `http-url '${displayUrl(url)}' must start with https:// or http://`;
  }
  return url;
}

/** A token may travel over https, or over plain http to this machine only. */
function isSafeForToken(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** A URL fit for the log: a password in it is replaced. */
function displayUrl(url: URL): string {
  if (!url.password) return url.href;
  const shown = new URL(url.href);
  shown.password = '***';
  return shown.href;
}
