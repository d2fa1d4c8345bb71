import type { PutObjectCommandInput, StorageClass, Tag } from '@aws-sdk/client-s3';

import type { UploadRequest } from './types.js';

/** The object key: the prefix (already ending in `/` when set) plus the archive's name. */
export function objectKey(request: UploadRequest): string {
  return `${request.settings.s3.prefix}${request.archiveName}`;
}

/**
 * What the object is stored with: type, metadata that ties it to its run, storage class and
 * encryption. Tags are set separately (see objectTags).
 */
export function objectParams(request: UploadRequest, key: string): PutObjectCommandInput {
  const s3 = request.settings.s3;
  const params: PutObjectCommandInput = {
    Bucket: s3.bucket,
    Key: key,
    ContentType: 'application/gzip',
    Metadata: objectMetadata(request),
  };
  if (s3.storageClass) params.StorageClass = s3.storageClass as StorageClass;
  if (s3.sse) params.ServerSideEncryption = s3.sse;
  if (s3.sse === 'aws:kms' && s3.kmsKeyId) params.SSEKMSKeyId = s3.kmsKeyId;
  return params;
}

/** User metadata (sent as x-amz-meta-*): the archive's digest and the run it came from. */
export function objectMetadata(request: UploadRequest): Record<string, string> {
  const env = request.env;
  const metadata: Record<string, string> = { sha256: request.sha256 };
  if (env.GITHUB_REPOSITORY) metadata.repository = env.GITHUB_REPOSITORY;
  if (env.GITHUB_RUN_ID) metadata['run-id'] = env.GITHUB_RUN_ID;
  if (env.GITHUB_RUN_ATTEMPT) metadata['run-attempt'] = env.GITHUB_RUN_ATTEMPT;
  if (env.GITHUB_SHA) metadata['commit-sha'] = env.GITHUB_SHA;
  return metadata;
}

/** The `s3-tags` input as the tag set lib-storage applies once the object exists. */
export function objectTags(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([name, value]) => ({ Key: name, Value: value }));
}
