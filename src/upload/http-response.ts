import { STATUS_CODES } from 'node:http';

import { formatBytes } from '../report/units.js';
import type { HttpAnswer } from './http-request.js';
import { parseRetryAfter, PermanentError, RetryableError } from './retry.js';

/** Longest location kept from a plain-text answer. */
export const LOCATION_TEXT_LIMIT = 2000;

const LOCATION_FIELDS = ['url', 'artifact_url', 'location'];

/**
 * Where the endpoint says it stored the bundle: the JSON fields `url`, `artifact_url` or
 * `location` (in that order), else the Location header (resolved against the endpoint), else
 * the response text, trimmed and bounded. Empty when the endpoint says nothing.
 */
export function locationFrom(answer: HttpAnswer, endpoint: URL): string {
  const fromJson = jsonLocation(answer.text);
  if (fromJson) return fromJson.slice(0, LOCATION_TEXT_LIMIT);

  const header = answer.headers.location;
  if (header) {
    try {
      return new URL(header, endpoint).href;
    } catch {
      return header;
    }
  }

  return answer.text.trim().slice(0, LOCATION_TEXT_LIMIT);
}

function jsonLocation(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return '';
  }
  if (typeof parsed !== 'object' || parsed === null) return '';
  const fields = parsed as Record<string, unknown>;
  for (const field of LOCATION_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return '';
}

/** The status with its reason phrase: "401 Unauthorized". */
export function describeStatus(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
}

export interface FailureContext {
  /** Whether a token was sent. */
  hasToken: boolean;
  size: number;
}

/**
 * The error for an answer that is neither 2xx nor a redirect: 408, 429 and 5xx may pass
 * (RetryableError, with the server's Retry-After); any other status will not, and the
 * message says what it means and what to check.
 */
export function failureFor(answer: HttpAnswer, context: FailureContext): Error {
  const status = describeStatus(answer.status);
  const detail = excerpt(answer.text);
  const said = detail ? ` (the endpoint said: ${detail})` : '';

  if (answer.status === 408 || answer.status === 429 || answer.status >= 500) {
    const retryAfter = parseRetryAfter(headerText(answer.headers['retry-after']));
    return new RetryableError(`the endpoint answered ${status}${said}`, retryAfter);
  }
  return new PermanentError(
    `the endpoint answered ${status}: ${hintFor(answer.status, context)}${said}`,
  );
}

function hintFor(status: number, context: FailureContext): string {
  if (status === 401 || status === 403) {
    return context.hasToken
      ? 'the token was refused; check http-token (or ARTIFACT_UPLOAD_TOKEN, --artifact-token)'
      : 'no token was sent; set http-token (or ARTIFACT_UPLOAD_TOKEN, --artifact-token)';
  }
  if (status === 404 || status === 410) {
    return 'nothing accepts uploads there; check http-url (or ARTIFACT_UPLOAD_URL, --artifact-url)';
  }
  if (status === 405) return 'the URL does not accept POST; check http-url';
  if (status === 413) {
    return (
      `the bundle (${formatBytes(context.size)}) is larger than the endpoint accepts; ` +
      'lower max-bundle-size or raise the limit of the endpoint'
    );
  }
  return 'the endpoint rejected the upload; this is not retried';
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The start of an error body on one line, enough to recognise it. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
