import type { Reporter } from '../report/reporter.js';

export type Destination = 'artifact' | 's3' | 'http';

export const DESTINATIONS: readonly Destination[] = ['artifact', 's3', 'http'];

export interface HttpSettings {
  /** Endpoint URL, from `http-url` or ARTIFACT_UPLOAD_URL; empty when not configured. */
  url: string;
  /** Bearer token, from `http-token` or ARTIFACT_UPLOAD_TOKEN; empty for none. */
  token: string;
  allowInsecureHttp: boolean;
}

export interface S3Settings {
  /** From `s3-bucket` or DIAGNOSTICS_S3_BUCKET; empty when not configured. */
  bucket: string;
  /** From `s3-prefix` or DIAGNOSTICS_S3_PREFIX, with a trailing `/` when not empty. */
  prefix: string;
  /** Empty: the SDK's own AWS_REGION / AWS_DEFAULT_REGION (us-east-1 with an endpoint). */
  region: string;
  /** From `s3-endpoint`, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL; empty for AWS. */
  endpoint: string;
  forcePathStyle: boolean;
  storageClass: string;
  sse: '' | 'AES256' | 'aws:kms';
  kmsKeyId: string;
  tags: Record<string, string>;
  presignSeconds: number;
  presignInSummary: boolean;
  checksum: 'auto' | 'when-required' | 'when-supported';
}

export interface ArtifactSettings {
  /** Explicit name (never suffixed); empty for the default name. */
  name: string;
  matrixKey: string;
  /** 0 for the repository default. */
  retentionDays: number;
  overwrite: boolean;
}

export interface UploadSettings {
  /** Destinations to try, in order; empty for none. */
  destinations: Destination[];
  /** True when the user named the destinations (not `auto`): any failure fails the step. */
  explicit: boolean;
  /** With `auto`: why a destination was left out (printed as an info line). */
  skipped: string[];
  /** Retries after the first attempt, shared by every destination. */
  retries: number;
  /** Longest time without progress before an attempt is abandoned. */
  stallTimeoutMs: number;
  http: HttpSettings;
  s3: S3Settings;
  artifact: ArtifactSettings;
}

/** What every uploader is handed. */
export interface UploadRequest {
  archivePath: string;
  archiveName: string;
  sha256: string;
  size: number;
  settings: UploadSettings;
  reporter: Reporter;
  /** The environment to read GitHub context from (process.env in production). */
  env: NodeJS.ProcessEnv;
}

export interface UploadResult {
  destination: Destination;
  ok: boolean;
  /** A link or URI a maintainer can follow, when the upload succeeded. */
  location?: string;
  /** Outputs this destination sets (e.g. `s3-uri`). */
  outputs: Record<string, string>;
  /** A message a user can act on, when it failed. */
  error?: string;
  /** Extra lines for the job summary (never secrets). */
  notes?: string[];
}

export interface Uploader {
  readonly destination: Destination;
  upload(request: UploadRequest): Promise<UploadResult>;
}
