import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';

import { INPUT_DEFAULTS, type InputName } from '../src/inputs/definitions.js';
import { readUploadSettings } from '../src/inputs/upload.js';
import { s3Uploader } from '../src/upload/s3.js';
import type { UploadResult } from '../src/upload/types.js';
import { tempDir } from './helpers/action.js';
import { sha256File } from './helpers/archive.js';
import { recordingReporter, type RecordingReporter } from './helpers/recording-reporter.js';
import { startS3Proxy, type ProxyBehaviour, type S3Proxy } from './helpers/s3-proxy.js';
import { freePort, startS3Server, type S3Server } from './helpers/s3-server.js';

const BUCKET = 'k98-diagnostics';
const PREFIX = 'diagnostics/k98/';
const MiB = 1024 * 1024;

let server: S3Server;
const work = tempDir('k98-s3-test-');

before(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
});

after(async () => {
  await server?.stop();
});

interface Archive {
  path: string;
  name: string;
  sha256: string;
  size: number;
}

let archiveCount = 0;

/** Random bytes under a pipeline-like archive name (the uploader does not read the contents). */
function randomArchive(size: number): Archive {
  const name = `k98-diagnostics-test-${++archiveCount}-${Date.now()}.tar.gz`;
  const file = path.join(work, name);
  writeFileSync(file, randomBytes(size));
  return { path: file, name, sha256: sha256File(file), size };
}

interface DirectUpload {
  result: UploadResult;
  reporter: RecordingReporter;
}

/**
 * Calls the S3 uploader in-process with settings read by the real input parser. The SDK's
 * credential chain and the proxy agent read process.env, so the given variables are set there
 * for the call and restored after.
 */
async function uploadDirect(
  archive: Archive,
  inputs: Partial<Record<InputName, string>> = {},
  env: Record<string, string> = {},
): Promise<DirectUpload> {
  const allInputs: Partial<Record<InputName, string>> = {
    upload: 's3',
    's3-bucket': BUCKET,
    's3-prefix': PREFIX,
    's3-endpoint': server.endpoint,
    'upload-retries': '1',
    ...inputs,
  };
  const fullEnv: Record<string, string> = {
    AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    GITHUB_REPOSITORY: 'k98/bot',
    GITHUB_RUN_ID: '4242',
    GITHUB_SHA: 'c0ffee',
    ...env,
  };
  const settings = readUploadSettings((name) => allInputs[name] ?? INPUT_DEFAULTS[name], fullEnv);
  const reporter = recordingReporter();
  const saved = { ...process.env };
  Object.assign(process.env, fullEnv);
  try {
    const result = await s3Uploader.upload({
      archivePath: archive.path,
      archiveName: archive.name,
      sha256: archive.sha256,
      size: archive.size,
      settings,
      reporter,
      env: fullEnv,
    });
    return { result, reporter };
  } finally {
    for (const name of Object.keys(fullEnv)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** The stored object's bytes, size and digest, read back through the SDK. */
async function storedObject(key: string): Promise<{ sha256: string; size: number }> {
  const object = await server.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const bytes = Buffer.from(await object.Body!.transformToByteArray());
  const file = path.join(work, `downloaded-${Date.now()}`);
  writeFileSync(file, bytes);
  return { sha256: sha256File(file), size: bytes.length };
}

async function withProxy<T>(
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

describe('S3 uploads against a real S3 server on loopback', () => {
  test('stores the archive byte for byte under prefix + name, with metadata and tags', async () => {
    const archive = randomArchive(64 * 1024);
    const { result, reporter } = await uploadDirect(archive, {
      's3-prefix': 'diagnostics/k98', // the missing trailing slash is added
      's3-tags': 'retention=30d\nteam=on call',
      's3-presign-seconds': '600',
    });

    assert.equal(result.ok, true, result.error);
    const key = `${PREFIX}${archive.name}`;
    assert.equal(result.outputs['s3-uri'], `s3://${BUCKET}/${key}`);
    assert.equal(result.outputs['s3-url'], `${server.endpoint}/${BUCKET}/${key}`);
    assert.equal(result.location, result.outputs['s3-url']);
    assert.deepEqual(await storedObject(key), { sha256: archive.sha256, size: archive.size });

    const head = await server.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    assert.equal(head.ContentType, 'application/gzip');
    assert.deepEqual(head.Metadata, {
      sha256: archive.sha256,
      repository: 'k98/bot',
      'run-id': '4242',
      'commit-sha': 'c0ffee',
    });
    const tagging = await server.client.send(
      new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }),
    );
    assert.deepEqual(tagging.TagSet?.map((tag) => `${tag.Key}=${tag.Value}`).sort(), [
      'retention=30d',
      'team=on call',
    ]);

    // The presigned link downloads the same bytes, is masked, and stays out of the notes.
    const link = result.outputs['s3-presigned-url'] ?? '';
    const response = await fetch(link);
    assert.equal(response.status, 200);
    const fetched = path.join(work, 'presigned.tar.gz');
    writeFileSync(fetched, Buffer.from(await response.arrayBuffer()));
    assert.equal(sha256File(fetched), archive.sha256);
    assert.ok(reporter.secrets.includes(link), 'the presigned URL is registered as a secret');
    assert.ok(reporter.secrets.includes(server.secretAccessKey), 'the secret key is masked');
    assert.match(result.notes?.join('\n') ?? '', /presigned download link valid for 600 s/);
    assert.ok(!result.notes?.join('\n').includes(link));
  });

  test('goes multipart through HTTP_PROXY and aborts the parts when one fails', async () => {
    const archive = randomArchive(20 * MiB);
    await withProxy(server.endpoint, { kind: 'forward' }, async (proxy) => {
      // No retries: every part must go through on its first attempt.
      const { result } = await uploadDirect(
        archive,
        { 'upload-retries': '0' },
        { HTTP_PROXY: proxy.url },
      );
      assert.equal(result.ok, true, result.error);
      const parts = proxy.requests.filter((seen) => /[?&]partNumber=/.test(seen.path));
      assert.equal(parts.length, 3, '20 MiB in 8 MiB parts, all through the proxy');
      const key = `${PREFIX}${archive.name}`;
      assert.deepEqual(await storedObject(key), { sha256: archive.sha256, size: archive.size });
    });

    const failing = randomArchive(20 * MiB);
    await withProxy(server.endpoint, { kind: 'fail-parts', fromPart: 2 }, async (proxy) => {
      const { result } = await uploadDirect(failing, {}, { HTTP_PROXY: proxy.url });
      assert.equal(result.ok, false);
      const aborted = proxy.requests.filter(
        (seen) => seen.method === 'DELETE' && /[?&]uploadId=/.test(seen.path),
      );
      assert.equal(aborted.length, 1, 'the multipart upload was aborted');
      // s3rver 4 answers 405 to AbortMultipartUpload; radosgw really drops the parts.
      if (server.kind === 'radosgw') assert.equal(aborted[0]?.status, 204);
      assert.ok(existsSync(failing.path), 'the archive stays on disk');
    });
  });

  test('a wrong secret fails at once with the credentials message; the archive stays', async () => {
    const archive = randomArchive(1024);
    await withProxy(server.endpoint, { kind: 'forward' }, async (proxy) => {
      const { result, reporter } = await uploadDirect(
        archive,
        { 'upload-retries': '3' },
        { AWS_SECRET_ACCESS_KEY: 'not-the-secret', HTTP_PROXY: proxy.url },
      );
      assert.equal(result.ok, false);
      assert.match(result.error ?? '', /credentials were refused/);
      assert.match(result.error ?? '', /aws-actions\/configure-aws-credentials/);
      assert.match(result.error ?? '', /HTTP 403/);
      assert.equal(proxy.requests.length, 1, 'a refused signature is not retried');
      assert.ok(reporter.secrets.includes('not-the-secret'));
      assert.ok(existsSync(archive.path));
    });
  });

  test('a missing bucket is named', async () => {
    const { result } = await uploadDirect(randomArchive(1024), { 's3-bucket': 'no-such-bucket' });
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /bucket 'no-such-bucket' does not exist in region us-east-1/);
    assert.match(result.error ?? '', /s3-bucket/);
  });

  test('a stopped server names the endpoint', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const archive = randomArchive(1024);
    const { result } = await uploadDirect(archive, {
      's3-endpoint': endpoint,
      'upload-retries': '1',
    });
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', new RegExp(`could not reach the S3 endpoint ${endpoint}`));
    assert.match(result.error ?? '', /ECONNREFUSED; 2 attempts/);
    assert.ok(existsSync(archive.path));
  });

  test('a store that rejects checksum headers still gets a good upload by default', async () => {
    await withProxy(server.endpoint, { kind: 'reject-checksums' }, async (proxy) => {
      for (const size of [1024, 20 * MiB]) {
        const archive = randomArchive(size);
        const { result } = await uploadDirect(archive, { 's3-endpoint': proxy.url });
        assert.equal(result.ok, true, result.error);
        const key = `${PREFIX}${archive.name}`;
        assert.deepEqual(await storedObject(key), { sha256: archive.sha256, size });
      }
      assert.ok(proxy.requests.length >= 6, 'the uploads went through the proxy');
      assert.deepEqual(
        proxy.requests.filter((seen) => seen.answered),
        [],
        'no request carried checksum headers',
      );

      // The proxy does bite: with the SDK's checksums forced on, the store refuses.
      const { result } = await uploadDirect(randomArchive(1024), {
        's3-endpoint': proxy.url,
        's3-checksum': 'when-supported',
      });
      assert.equal(result.ok, false);
      assert.match(result.error ?? '', /NotImplemented, HTTP 501.*s3-checksum: when-required/);
    });
  });

  for (const answer of ['redirect', 'malformed'] as const) {
    test(`a wrong region names the bucket's region (${answer})`, async () => {
      const behaviour = { kind: 'wrong-region', bucketRegion: 'eu-central-1', answer } as const;
      await withProxy(server.endpoint, behaviour, async (proxy) => {
        const { result } = await uploadDirect(randomArchive(1024), {
          's3-endpoint': proxy.url,
          's3-region': 'us-west-2',
        });
        assert.equal(result.ok, false);
        assert.match(
          result.error ?? '',
          /bucket 'k98-diagnostics' is in region eu-central-1, not us-west-2/,
        );
        assert.match(result.error ?? '', /set s3-region: eu-central-1/);
      });
    });
  }

  test('an endpoint that stops answering hits the stall timeout', async () => {
    await withProxy(server.endpoint, { kind: 'stall' }, async (proxy) => {
      const { result } = await uploadDirect(randomArchive(1024), {
        's3-endpoint': proxy.url,
        'upload-timeout-seconds': '1',
        'upload-retries': '1',
      });
      assert.equal(result.ok, false);
      assert.match(result.error ?? '', /made no progress for 1 s/);
      assert.match(result.error ?? '', /upload-timeout-seconds/);
      assert.equal(proxy.requests.length, 2, 'the stalled attempt was retried once');
    });
  });
});
