import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { runAction, runCli, tempDir, type ActionRun } from './helpers/action.js';
import { sha256File } from './helpers/archive.js';
import { makeBotTree } from './helpers/bot-tree.js';
import {
  awsEnv,
  randomArchive,
  storedAttributes,
  storedObject,
  uploadDirect,
  withProxy,
  type TestArchive,
} from './helpers/s3-fixtures.js';
import { freePort, startS3Server, type S3Server } from './helpers/s3-server.js';

// One S3 server for the whole file: radosgw takes about 15 s to start and keeps data in RAM.
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
  // The large archives made here would otherwise stay in the temp directory.
  rmSync(work, { recursive: true, force: true });
});

const stored = (key: string) => storedObject(server, BUCKET, key, work);

/** The action's inputs for an S3 upload of a bot tree's bundle, running no commands. */
function actionInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'working-directory': makeBotTree({ logLines: 200 }),
    'run-commands': 'false',
    upload: 's3',
    's3-bucket': BUCKET,
    's3-prefix': PREFIX,
    's3-endpoint': server.endpoint,
    ...extra,
  };
}

/** Everything the process printed, minus the runner commands that register masks. */
function printed(run: ActionRun): string {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

function cliUpload(archive: TestArchive, flags: string[], env: Record<string, string> = {}) {
  return runCli(['upload', archive.path, '--s3-bucket', BUCKET, ...flags], {
    env: { ...awsEnv(server), ...env },
  });
}

describe('S3 through the built action and CLI, against a real S3 server', () => {
  test('the action stores the bundle under prefix + name, with metadata and tags', async () => {
    const run = await runAction({
      inputs: actionInputs({
        's3-prefix': 'diagnostics/k98', // the missing trailing slash is added
        's3-tags': 'retention=30d\nteam=on call',
        's3-presign-seconds': '600',
      }),
      env: {
        ...awsEnv(server),
        GITHUB_REPOSITORY: 'k98/bot',
        GITHUB_RUN_ID: '4242',
        GITHUB_SHA: 'c0ffee',
      },
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const { outputs } = run;
    const key = `${PREFIX}${path.basename(outputs['archive-path'] ?? '')}`;
    assert.equal(outputs.uploaded, 's3');
    assert.equal(outputs['s3-uri'], `s3://${BUCKET}/${key}`);
    assert.equal(outputs['s3-url'], `${server.endpoint}/${BUCKET}/${key}`);
    assert.deepEqual(await stored(key), {
      sha256: outputs['archive-sha256'],
      size: Number(outputs['archive-size']),
    });
    assert.deepEqual(await storedAttributes(server, BUCKET, key), {
      contentType: 'application/gzip',
      metadata: {
        sha256: outputs['archive-sha256'],
        repository: 'k98/bot',
        'run-id': '4242',
        'commit-sha': 'c0ffee',
      },
      tags: ['retention=30d', 'team=on call'],
    });

    // The presigned link downloads the same bytes, and is masked rather than printed.
    const link = outputs['s3-presigned-url'] ?? '';
    const response = await fetch(link);
    assert.equal(response.status, 200);
    const fetched = path.join(work, 'presigned.tar.gz');
    writeFileSync(fetched, Buffer.from(await response.arrayBuffer()));
    assert.equal(sha256File(fetched), outputs['archive-sha256']);
    // The runner's command escapes `%` (the link holds %2F).
    const mask = `::add-mask::${link.replace(/%/g, '%25')}`;
    assert.ok(run.stdout.includes(mask), 'the link is registered as a secret');
    assert.ok(!printed(run).includes(link), 'the link is never printed');
    assert.ok(run.summary.includes(outputs['s3-url'] ?? '-') && run.summary.includes(key));
    assert.match(run.summary, /presigned download link valid for 600 s was made/);
    assert.ok(!run.summary.includes('X-Amz-Signature'), 'nor shown in the summary');
    assert.ok(!printed(run).includes(server.secretAccessKey), 'the secret key is never printed');
  });

  test("the runbook's collect --upload --s3-bucket --s3-prefix works as written", async () => {
    const run = await runCli(
      ['collect', '-C', makeBotTree({ logLines: 200 })].concat([
        '--upload',
        '--s3-bucket',
        BUCKET,
        '--s3-prefix',
        PREFIX,
      ]),
      // The host's S3-compatible store comes from the SDK's own variable.
      { env: { ...awsEnv(server), AWS_ENDPOINT_URL_S3: server.endpoint } },
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const archivePath = /^Archive: (\S+\.tar\.gz)$/m.exec(run.stdout)?.[1] ?? '';
    const key = `${PREFIX}${path.basename(archivePath)}`;
    assert.match(run.stdout, new RegExp(`s3: uploaded ${server.endpoint}/${BUCKET}/${key}`));
    assert.equal((await stored(key)).sha256, sha256File(archivePath));
  });

  test('the runbook variables alone (no inputs) pick the bucket and prefix', async () => {
    const run = await runAction({
      inputs: { 'working-directory': makeBotTree({ logLines: 200 }), 'run-commands': 'false' },
      env: {
        ...awsEnv(server),
        DIAGNOSTICS_S3_BUCKET: BUCKET,
        DIAGNOSTICS_S3_PREFIX: 'runbook/k98',
        AWS_ENDPOINT_URL_S3: server.endpoint,
      },
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.outputs.uploaded, 's3');
    const key = `runbook/k98/${path.basename(run.outputs['archive-path'] ?? '')}`;
    assert.equal(run.outputs['s3-uri'], `s3://${BUCKET}/${key}`);
    assert.equal((await stored(key)).sha256, run.outputs['archive-sha256']);
  });

  test('upload FILE sends a large archive in parts with bounded memory', async (t) => {
    const archive = randomArchive(work, 256 * MiB);
    await withProxy(server.endpoint, { kind: 'forward' }, async (proxy) => {
      const run = await runCli(
        ['upload', archive.path, '--s3-bucket', BUCKET, '--s3-prefix', 'big/'],
        {
          env: { ...awsEnv(server), AWS_ENDPOINT_URL_S3: server.endpoint, HTTP_PROXY: proxy.url },
          measureMemory: true,
        },
      );
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const parts = proxy.requests.filter((seen) => /[?&]partNumber=/.test(seen.path));
      assert.equal(parts.length, 32, '8 MiB parts, each sent once, through HTTP_PROXY');
      const peak = run.peakRssBytes ?? Infinity;
      t.diagnostic(
        `peak RSS ${(peak / MiB).toFixed(0)} MiB for a ${archive.size / MiB} MiB archive`,
      );
      assert.ok(peak < (archive.size * 2) / 3, `peak RSS ${peak} for ${archive.size} bytes`);
    });
    const key = `big/${archive.name}`;
    assert.deepEqual(await stored(key), { sha256: archive.sha256, size: archive.size });
  });

  test('a wrong secret fails at once with the credentials message; the archive stays', async () => {
    const archive = randomArchive(work, 1024);
    await withProxy(server.endpoint, { kind: 'forward' }, async (proxy) => {
      const run = await cliUpload(archive, ['--s3-endpoint', server.endpoint], {
        AWS_SECRET_ACCESS_KEY: 'not-the-secret-key',
        HTTP_PROXY: proxy.url,
      });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /the S3 credentials were refused .*HTTP 403/);
      assert.match(run.stderr, /aws-actions\/configure-aws-credentials/);
      assert.match(run.stderr, new RegExp(`archive is still at ${archive.path}`));
      assert.equal(proxy.requests.length, 1, 'a refused signature is not retried');
      assert.ok(!printed(run).includes('not-the-secret-key'));
    });
    assert.ok(existsSync(archive.path));
  });

  test('a missing bucket is named and fails the step; the archive stays', async () => {
    const run = await runAction({
      inputs: actionInputs({ 's3-bucket': 'no-such-bucket' }),
      env: awsEnv(server),
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /bucket 'no-such-bucket' does not exist in region us-east-1/);
    assert.ok(existsSync(run.outputs['archive-path'] ?? ''));
  });

  test('a stopped server names the endpoint', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const archive = randomArchive(work, 1024);
    const run = await cliUpload(archive, ['--s3-endpoint', endpoint, '--upload-retries', '1']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`could not reach the S3 endpoint ${endpoint}`));
    assert.match(run.stderr, /ECONNREFUSED; 2 attempts/);
    assert.ok(existsSync(archive.path));
  });

  test('a store that refuses checksum headers still gets a good upload by default', async () => {
    await withProxy(server.endpoint, { kind: 'reject-checksums' }, async (proxy) => {
      const run = await runAction({
        inputs: actionInputs({ 's3-endpoint': proxy.url }),
        env: awsEnv(server),
      });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const key = `${PREFIX}${path.basename(run.outputs['archive-path'] ?? '')}`;
      assert.equal((await stored(key)).sha256, run.outputs['archive-sha256']);
      assert.ok(proxy.requests.length > 0, 'the upload went through the proxy');
      assert.deepEqual(proxy.requests.filter((seen) => seen.answered).length, 0);

      // The proxy does bite: with the SDK's checksums forced on, the store refuses.
      const forced = await runAction({
        inputs: actionInputs({ 's3-endpoint': proxy.url, 's3-checksum': 'when-supported' }),
        env: awsEnv(server),
      });
      assert.equal(forced.code, 1);
      assert.match(forced.stdout, /NotImplemented, HTTP 501.*s3-checksum: when-required/);
    });
  });
});

describe('the S3 uploader in-process, against a real S3 server', () => {
  const direct = (archive: TestArchive, inputs: Record<string, string>, env = {}) =>
    uploadDirect(
      archive,
      { 's3-bucket': BUCKET, 's3-prefix': PREFIX, 's3-endpoint': server.endpoint, ...inputs },
      { ...awsEnv(server), ...env },
    );

  test('a failed part aborts the multipart upload, leaving no parts behind', async () => {
    const archive = randomArchive(work, 20 * MiB);
    await withProxy(server.endpoint, { kind: 'fail-parts', fromPart: 2 }, async (proxy) => {
      const { result } = await direct(archive, {}, { HTTP_PROXY: proxy.url });
      assert.equal(result.ok, false);
      const aborted = proxy.requests.filter(
        (seen) => seen.method === 'DELETE' && /[?&]uploadId=/.test(seen.path),
      );
      assert.equal(aborted.length, 1, 'the multipart upload was aborted');
      // s3rver 4 answers 405 to AbortMultipartUpload; radosgw really drops the parts.
      if (server.kind === 'radosgw') assert.equal(aborted[0]?.status, 204);
      assert.ok(existsSync(archive.path));
    });
  });

  for (const answer of ['redirect', 'malformed'] as const) {
    test(`a wrong region names the bucket's region (${answer})`, async () => {
      const behaviour = { kind: 'wrong-region', bucketRegion: 'eu-central-1', answer } as const;
      await withProxy(server.endpoint, behaviour, async (proxy) => {
        const archive = randomArchive(work, 1024);
        const { result } = await direct(archive, {
          's3-endpoint': proxy.url,
          's3-region': 'us-west-2',
        });
        assert.equal(result.ok, false);
        assert.match(
          result.error ?? '',
          /'k98-diagnostics' is in region eu-central-1, not us-west-2/,
        );
        assert.match(result.error ?? '', /set s3-region: eu-central-1/);
        assert.equal(proxy.requests.length, 1, 'nothing was forwarded or retried');
      });
    });
  }

  test('an endpoint that stops answering hits the stall timeout, then retries', async () => {
    await withProxy(server.endpoint, { kind: 'stall' }, async (proxy) => {
      const { result } = await direct(randomArchive(work, 1024), {
        's3-endpoint': proxy.url,
        'upload-timeout-seconds': '1',
        'upload-retries': '1',
      });
      assert.equal(result.ok, false);
      assert.match(result.error ?? '', /made no progress for 1 s .*2 attempts/);
      assert.match(result.error ?? '', /upload-timeout-seconds/);
      assert.equal(proxy.requests.length, 2);
    });
  });

  test('the presigned link is registered as a secret and kept out of the notes', async () => {
    const { result, secrets } = await direct(randomArchive(work, 1024), {
      's3-presign-seconds': '60',
    });
    assert.equal(result.ok, true, result.error);
    const link = result.outputs['s3-presigned-url'] ?? '';
    assert.ok(secrets.includes(link));
    assert.ok(secrets.includes(server.secretAccessKey));
    assert.equal(result.notes?.[0], result.outputs['s3-uri']);
    assert.match(result.notes?.join('\n') ?? '', /presigned download link valid for 60 s/);
    assert.ok(!result.notes?.join('\n').includes(link));

    const shown = await direct(randomArchive(work, 1024), {
      's3-presign-seconds': '60',
      's3-presign-in-summary': 'true',
    });
    const shownLink = shown.result.outputs['s3-presigned-url'] ?? '-';
    assert.match(shown.result.notes?.join('\n') ?? '', /Presigned download link \(valid 60 s\)/);
    assert.ok(shown.result.notes?.join('\n').includes(shownLink), 'printed when asked');
  });
});
