import { errorMessage } from '../errors.js';

/** What a message about a failed S3 upload can name. */
export interface S3ErrorContext {
  bucket: string;
  key: string;
  /** The region the client used, or '' when none could be resolved. */
  region: string;
  /** The endpoint requests went to. */
  endpoint: string;
  /** The most attempts the client makes, when the error does not say how many it made. */
  maxAttempts: number;
  stallSeconds: number;
}

/** The parts of an SDK or network error that tell what happened. */
interface ErrorFacts {
  name: string;
  status?: number;
  code?: string;
  message: string;
  bucketRegion?: string;
  attempts?: number;
}

const CREDENTIAL_ERRORS = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'InvalidSecurity',
  // When it is not about the region (checked first), the key or its scope is malformed.
  'AuthorizationHeaderMalformed',
]);

const REGION_ERRORS = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

const CHECKSUM_ERRORS = new Set([
  'NotImplemented',
  'MissingContentLength',
  'XAmzContentSHA256Mismatch',
  'InvalidDigest',
  'BadDigest',
]);

/**
 * Turns a failed S3 call into a message a user can act on. Decisions rest on the error's
 * name, HTTP status and network code, never on its message alone: some S3-compatible servers
 * answer with empty messages.
 */
export function describeS3Error(error: unknown, context: S3ErrorContext): string {
  const facts = readFacts(error);
  const where = `s3://${context.bucket}/${context.key}`;
  const region = context.region || 'not set';
  const status = facts.status ? `${facts.name}, HTTP ${facts.status}` : facts.name;

  if (facts.name === 'CredentialsProviderError') {
    return (
      `no AWS credentials were found for ${where}: set AWS_ACCESS_KEY_ID and ` +
      'AWS_SECRET_ACCESS_KEY, or add aws-actions/configure-aws-credentials before this step'
    );
  }
  if (/region is missing/i.test(facts.message)) {
    return `no AWS region is set for ${where}: set s3-region, or AWS_REGION in the environment`;
  }
  if (facts.name === 'NoSuchBucket' || (facts.status === 404 && facts.name === 'NotFound')) {
    return (
      `the bucket '${context.bucket}' does not exist in region ${region} at ` +
      `${context.endpoint} (${status}): check s3-bucket (or DIAGNOSTICS_S3_BUCKET) and s3-region`
    );
  }
  if (isRegionError(facts)) return describeRegionError(facts, context, status);
  if (CREDENTIAL_ERRORS.has(facts.name) || facts.status === 403) {
    return describeRefusedCredentials(facts, context, status);
  }
  if (facts.name === 'TimeoutError' || facts.name === 'RequestTimeout') {
    return (
      `the upload to ${context.endpoint} made no progress for ${context.stallSeconds} s ` +
      `(${status}; ${attemptCount(facts, context)}): check the network and proxy, or raise ` +
      'upload-timeout-seconds'
    );
  }
  if (facts.code && NETWORK_CODES.has(facts.code)) {
    return (
      `could not reach the S3 endpoint ${context.endpoint} (${facts.code}; ` +
      `${attemptCount(facts, context)}): check s3-endpoint (or AWS_ENDPOINT_URL_S3), ` +
      'that the server is running, and the proxy variables HTTPS_PROXY/NO_PROXY'
    );
  }
  if (CHECKSUM_ERRORS.has(facts.name) || facts.status === 501 || facts.status === 411) {
    return (
      `the S3 server at ${context.endpoint} rejected how the upload was sent (${status}): ` +
      'set s3-checksum: when-required for S3-compatible stores that do not support ' +
      'checksums or chunked bodies'
    );
  }
  if (facts.name === 'InvalidStorageClass') {
    return `the server does not accept this storage class (${status}): check s3-storage-class`;
  }
  if (facts.name.startsWith('KMS') || /kms/i.test(facts.message)) {
    return `server-side encryption failed (${status}: ${facts.message}): check s3-kms-key-id`;
  }
  if (facts.name === 'EntityTooLarge') {
    return (
      `the bundle is larger than ${context.endpoint} accepts (${status}): ` +
      'lower max-bundle-size'
    );
  }
  const detail = facts.message && facts.message !== facts.name ? `: ${facts.message}` : '';
  return `uploading to ${where} at ${context.endpoint} failed (${status})${detail}`;
}

/** The raw facts of an error, for the debug log. */
export function s3ErrorDetail(error: unknown): string {
  const facts = readFacts(error);
  const parts = [`name=${facts.name}`, `message=${facts.message}`];
  if (facts.status) parts.push(`status=${facts.status}`);
  if (facts.code) parts.push(`code=${facts.code}`);
  if (facts.attempts) parts.push(`attempts=${facts.attempts}`);
  if (facts.bucketRegion) parts.push(`bucket-region=${facts.bucketRegion}`);
  return parts.join(' ');
}

function describeRegionError(facts: ErrorFacts, context: S3ErrorContext, status: string): string {
  const used = context.region || 'not set';
  if (facts.bucketRegion) {
    return (
      `the bucket '${context.bucket}' is in region ${facts.bucketRegion}, not ${used} ` +
      `(${status}): set s3-region: ${facts.bucketRegion}`
    );
  }
  return (
    `the bucket '${context.bucket}' is not in region ${used} (${status}): set s3-region to ` +
    "the bucket's region"
  );
}

function describeRefusedCredentials(
  facts: ErrorFacts,
  context: S3ErrorContext,
  status: string,
): string {
  const expired = facts.name === 'ExpiredToken' || facts.name === 'TokenRefreshRequired';
  const what = expired ? 'the AWS session token has expired' : 'the S3 credentials were refused';
  return (
    `${what} for s3://${context.bucket}/${context.key} at ${context.endpoint} (${status}): ` +
    'check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or the role set by ' +
    'aws-actions/configure-aws-credentials, and that it may s3:PutObject and ' +
    's3:PutObjectTagging on this key'
  );
}

function isRegionError(facts: ErrorFacts): boolean {
  if (facts.name === 'AuthorizationHeaderMalformed') {
    // Malformed for another reason (not the region) is a credentials problem.
    return Boolean(facts.bucketRegion) || /region/i.test(facts.message);
  }
  return REGION_ERRORS.has(facts.name) || facts.status === 301;
}

function attemptCount(facts: ErrorFacts, context: S3ErrorContext): string {
  const count = facts.attempts ?? context.maxAttempts;
  return count === 1 ? '1 attempt' : `${count} attempts`;
}

function readFacts(error: unknown): ErrorFacts {
  const value = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    Code?: unknown;
    Region?: unknown;
    $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
    $response?: { headers?: Record<string, unknown> };
  };
  const status = value.$metadata?.httpStatusCode;
  const attempts = value.$metadata?.attempts;
  const header = value.$response?.headers?.['x-amz-bucket-region'];
  const region = typeof header === 'string' && header ? header : value.Region;
  return {
    name: specificName(text(value.name), text(value.Code)),
    status: typeof status === 'number' ? status : undefined,
    code: text(value.code) || networkCodeOf(error),
    message: errorMessage(error),
    bucketRegion: typeof region === 'string' && region ? region : undefined,
    attempts: typeof attempts === 'number' ? attempts : undefined,
  };
}

/** Network errors can come wrapped (an AggregateError, or an error with a cause). */
function networkCodeOf(error: unknown): string | undefined {
  const inner = error as { errors?: unknown[]; cause?: unknown } | null;
  const nested = [...(inner?.errors ?? []), inner?.cause].filter(Boolean);
  for (const candidate of nested) {
    const code = (candidate as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The SDK names an error by its S3 code; a bodiless answer leaves only a generic name. */
function specificName(name: string, code: string): string {
  const generic = ['', 'Error', 'Unknown', 'UnknownError', 'S3ServiceException'];
  if (!generic.includes(name)) return name;
  return code || name || 'Error';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
