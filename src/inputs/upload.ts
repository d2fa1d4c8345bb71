import { InputError } from '../errors.js';
import { DESTINATIONS, type Destination, type UploadSettings } from '../upload/types.js';
import type { InputName } from './definitions.js';
import { parseBoolean, parseInteger, parseLines, parseList, parsePositiveNumber } from './parse.js';

/**
 * Reads the upload inputs and decides where to upload. With `auto` a destination is used when
 * its settings are present; a destination named explicitly without its settings is an error.
 */
export function readUploadSettings(
  get: (name: InputName) => string,
  env: NodeJS.ProcessEnv,
): UploadSettings {
  const bool = (name: InputName): boolean => parseBoolean(name, get(name).trim());
  const endpoint = readS3Endpoint(
    get('s3-endpoint').trim() || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || '',
  );
  const prefix = get('s3-prefix').trim() || env.DIAGNOSTICS_S3_PREFIX || '';

  const settings: UploadSettings = {
    destinations: [],
    explicit: false,
    skipped: [],
    retries: parseInteger('upload-retries', get('upload-retries'), 0, 20),
    stallTimeoutMs: Math.round(
      parsePositiveNumber('upload-timeout-seconds', get('upload-timeout-seconds'), 86_400) * 1000,
    ),
    http: {
      url: readHttpUrl(get('http-url').trim() || env.ARTIFACT_UPLOAD_URL?.trim() || ''),
      token: get('http-token').trim() || env.ARTIFACT_UPLOAD_TOKEN?.trim() || '',
      allowInsecureHttp: bool('allow-insecure-http'),
    },
    s3: {
      bucket: readBucket(get('s3-bucket').trim() || env.DIAGNOSTICS_S3_BUCKET?.trim() || ''),
      prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
      region: get('s3-region').trim(),
      endpoint,
      forcePathStyle: readForcePathStyle(get('s3-force-path-style').trim(), endpoint),
      storageClass: get('s3-storage-class').trim(),
      sse: readSse(get('s3-sse').trim()),
      kmsKeyId: get('s3-kms-key-id').trim(),
      tags: readTags(get('s3-tags')),
      presignSeconds: parseInteger('s3-presign-seconds', get('s3-presign-seconds'), 0, 604_800),
      presignInSummary: bool('s3-presign-in-summary'),
      checksum: readChecksum(get('s3-checksum').trim()),
    },
    artifact: {
      name: get('artifact-name').trim(),
      matrixKey: get('matrix-key').trim(),
      retentionDays: get('retention-days').trim()
        ? parseInteger('retention-days', get('retention-days'), 1, 90)
        : 0,
      overwrite: bool('overwrite'),
    },
  };

  const requested = get('upload').trim();
  if (requested === 'none') return settings;
  if (requested === 'auto') {
    settings.destinations = DESTINATIONS.filter((destination) =>
      isConfigured(destination, settings, env),
    );
    if (!settings.destinations.includes('artifact')) {
      settings.skipped.push(
        'workflow artifact: not inside a GitHub Actions job (ACTIONS_RUNTIME_TOKEN and ' +
          'ACTIONS_RESULTS_URL are not set)',
      );
    }
    return settings;
  }

  settings.explicit = true;
  settings.destinations = parseDestinationList(requested);
  for (const destination of settings.destinations) {
    requireConfigured(destination, settings, env);
  }
  return settings;
}

function parseDestinationList(value: string): Destination[] {
  const names = parseList(value);
  const allowed = 'use none, auto, or a comma-separated list of artifact, s3 and http';
  if (names.length === 0) throw new InputError('upload', value, allowed);
  for (const name of names) {
    if (!DESTINATIONS.includes(name as Destination)) throw new InputError('upload', value, allowed);
  }
  return DESTINATIONS.filter((destination) => names.includes(destination));
}

function isConfigured(
  destination: Destination,
  settings: UploadSettings,
  env: NodeJS.ProcessEnv,
): boolean {
  if (destination === 'artifact')
    return Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL);
  if (destination === 's3') return settings.s3.bucket !== '';
  return settings.http.url !== '';
}

function requireConfigured(
  destination: Destination,
  settings: UploadSettings,
  env: NodeJS.ProcessEnv,
): void {
  if (isConfigured(destination, settings, env)) return;
  if (destination === 'artifact') {
    const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((name) => !env[name]);
    throw new InputError(
      'upload',
      'artifact',
      `the workflow artifact service is not reachable: ${missing.join(' and ')} ` +
        'not set (they exist only inside a GitHub Actions job); use s3 or http instead',
    );
  }
  if (destination === 's3') {
    throw new InputError(
      's3-bucket',
      '',
      'upload includes s3 but no bucket is set; set s3-bucket or DIAGNOSTICS_S3_BUCKET',
    );
  }
  throw new InputError(
    'http-url',
    '',
    'upload includes http but no endpoint is set; set http-url or ARTIFACT_UPLOAD_URL',
  );
}

/**
 * The bucket's name alone. Runbooks and consoles show buckets as `s3://bucket/path` or as
 * URLs; such a value would fail only at upload, after the whole collection, so it is refused
 * here with the inputs it belongs in. Names are not held to today's AWS rules: older buckets
 * and other S3 servers allow more, and access point ARNs are buckets to the SDK.
 */
function readBucket(value: string): string {
  if (!value || value.startsWith('arn:')) return value;
  const where = 'set s3-bucket (or DIAGNOSTICS_S3_BUCKET) to';
  const s3Url = /^s3:\/\/([^/]+)\/*(.*)$/i.exec(value);
  if (s3Url) {
    const [, bucket, prefix] = s3Url;
    const andPrefix = prefix ? ` and s3-prefix (or DIAGNOSTICS_S3_PREFIX) to ${prefix}` : '';
    throw new InputError('s3-bucket', value, `${where} ${bucket}${andPrefix}`);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new InputError(
      's3-bucket',
      value,
      `${where} the bucket's name only; a server's URL goes in s3-endpoint`,
    );
  }
  if (/[/\\\s]/.test(value) || value.length > 255) {
    throw new InputError(
      's3-bucket',
      value,
      `${where} the bucket's name only (no slashes or spaces); a key path goes in s3-prefix`,
    );
  }
  return value;
}

/** The HTTP endpoint: empty, or an http(s) URL. */
function readHttpUrl(value: string): string {
  if (!value) return '';
  const allowed = 'use an https:// URL such as https://artifacts.example.com/upload';
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new InputError('http-url', value, allowed);
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new InputError('http-url', value, allowed);
  }
  return value;
}

/**
 * The S3 server: empty for AWS, or an http(s) URL. Anything else (ftp://, a bare host name)
 * would fail only at upload, after the whole collection.
 */
function readS3Endpoint(value: string): string {
  if (!value) return '';
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new InputError(
      's3-endpoint',
      withoutUserInfo(value),
      'set s3-endpoint (or AWS_ENDPOINT_URL_S3) to an http:// or https:// URL such as ' +
        'http://127.0.0.1:9000, or leave it empty to use AWS',
    );
  }
  return value;
}

/**
 * The value as it may be shown: a `user:password@` part, which could hold a secret key, is
 * replaced whole by `***@`. Everything up to the last '@' goes, as a password may hold '/'.
 */
function withoutUserInfo(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1***@');
}

function readForcePathStyle(value: string, endpoint: string): boolean {
  if (value) return parseBoolean('s3-force-path-style', value);
  if (!endpoint) return false;
  // A URL by now: readS3Endpoint refused anything else.
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[');
}

function readSse(value: string): '' | 'AES256' | 'aws:kms' {
  if (value === '' || value === 'AES256' || value === 'aws:kms') return value;
  throw new InputError('s3-sse', value, 'use AES256 or aws:kms, or leave it empty');
}

function readChecksum(value: string): 'auto' | 'when-required' | 'when-supported' {
  if (value === 'auto' || value === 'when-required' || value === 'when-supported') return value;
  throw new InputError('s3-checksum', value, 'use auto, when-required or when-supported');
}

function readTags(value: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const line of parseLines(value)) {
    const separator = line.indexOf('=');
    if (separator <= 0) {
      throw new InputError('s3-tags', line, 'write one key=value a line, like retention=30d');
    }
    tags[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  return tags;
}
