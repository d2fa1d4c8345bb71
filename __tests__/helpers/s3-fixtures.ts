import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';

import type { InputName } from '../../src/inputs/definitions.js';
import { s3Uploader } from '../../src/upload/s3.js';
import type { UploadResult } from '../../src/upload/types.js';
import { sha256File } from './archive.js';
import { recordingReporter } from './reporter.js';
import { startS3Proxy, type ProxyBehaviour, type S3Proxy } from './s3-proxy.js';
import type { S3Server } from './s3-server.js';
import { GZIP_MAGIC, uploadRequest } from './upload-request.js';

export interface TestArchive {
  path: string;
  name: string;
  sha256: string;
  size: number;
}

let archiveCount = 0;

/**
 * Random bytes under a pipeline-like archive name (uploaders never read the contents), begun
 * as gzip begins, as `k98-diagnostics upload` checks. Written a mebibyte at a time.
 */
export function randomArchive(dir: string, size: number): TestArchive {
  const name = `k98-diagnostics-test-${++archiveCount}-${process.pid}.tar.gz`;
  const file = path.join(dir, name);
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < size; written += 1024 * 1024) {
      const piece = randomBytes(Math.min(1024 * 1024, size - written));
      if (written === 0) piece.set(GZIP_MAGIC.subarray(0, piece.length));
      writeSync(fd, piece);
    }
  } finally {
    closeSync(fd);
  }
  return { path: file, name, sha256: sha256File(file), size };
}

/** AWS credentials for the server, as the SDK's chain reads them from the environment. */
export function awsEnv(server: S3Server): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
  };
}

/** What is stored under a key: digest and size of the bytes read back through the SDK. */
export async function storedObject(
  server: S3Server,
  bucket: string,
  key: string,
  dir: string,
): Promise<{ sha256: string; size: number }> {
  const object = await server.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from(await object.Body!.transformToByteArray());
  const file = path.join(dir, `downloaded-${++archiveCount}`);
  writeFileSync(file, bytes);
  return { sha256: sha256File(file), size: bytes.length };
}

/** Content type, user metadata and tags (as `key=value`, sorted) of a stored object. */
export async function storedAttributes(server: S3Server, bucket: string, key: string) {
  const head = await server.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const tagging = await server.client.send(
    new GetObjectTaggingCommand({ Bucket: bucket, Key: key }),
  );
  const tags = (tagging.TagSet ?? []).map((tag) => `${tag.Key}=${tag.Value}`).sort();
  return { contentType: head.ContentType, metadata: head.Metadata ?? {}, tags };
}

export async function withProxy<T>(
  upstream: string,
  behaviour: ProxyBehaviour,
  body: (proxy: S3Proxy) => Promise<T>,
): Promise<T> {
  const proxy = await startS3Proxy(upstream, behaviour);
  try {
    return await body(proxy);
  } finally {
    await proxy.stop();
  }
}

export interface DirectUpload {
  result: UploadResult;
  /** What the uploader asked to be masked. */
  secrets: string[];
}

/**
 * Calls the S3 uploader in-process with settings read by the real input parser. The SDK's
 * credential chain and the proxy agent read process.env, so `env` is set there for the call
 * and restored after.
 */
export async function uploadDirect(
  archive: TestArchive,
  inputs: Partial<Record<InputName, string>>,
  env: Record<string, string>,
): Promise<DirectUpload> {
  const { reporter, secrets } = recordingReporter();
  const request = uploadRequest(archive.path, { upload: 's3', ...inputs }, env, reporter);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return { result: await s3Uploader.upload(request), secrets };
  } finally {
    for (const name of Object.keys(env)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}
