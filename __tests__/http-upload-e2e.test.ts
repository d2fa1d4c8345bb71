import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';

import { REPO_ROOT, runAction, runCli, tempDir, type ActionRun } from './helpers/action.js';
import { sha256File } from './helpers/archive.js';
import { startForwardProxy } from './helpers/forward-proxy.js';
import { startHttpSink, type HttpSink } from './helpers/http-sink.js';
import { visibleLog } from './helpers/step-log.js';
import { loopbackCertificate } from './helpers/tls.js';
import { GZIP_MAGIC } from './helpers/upload-request.js';

const TOKEN = 'k98-e2e-token-0c4f7a92d1';
const BOT = path.join(REPO_ROOT, 'examples/k98-bot');
const GIB = 1024 ** 3;
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].concat([
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
]);

/** Runs the built action on the sample bot, collecting only, the archive in a fresh dir. */
function runOnSampleBot(
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
) {
  return runAction({
    inputs: {
      'working-directory': BOT,
      'run-commands': 'false',
      output: `${tempDir('k98-e2e-out-')}/`,
      ...inputs,
    },
    env,
  });
}

function assertTokenHidden(run: ActionRun): void {
  assert.ok(!visibleLog(run).includes(TOKEN), 'the token appears in the step log');
}

/** The sha256 of gzip's two magic bytes then zeros up to `size`, hashed a MiB at a time. */
function gzipMagicThenZerosSha256(size: number): string {
  const hash = createHash('sha256');
  const block = Buffer.alloc(1024 * 1024);
  hash.update(GZIP_MAGIC).update(block.subarray(GZIP_MAGIC.length));
  for (let done = block.length; done < size; done += block.length) hash.update(block);
  return hash.digest('hex');
}

describe('the action uploads to an HTTP endpoint (built dist, loopback)', () => {
  let sink: HttpSink;

  before(async () => {
    sink = await startHttpSink({ token: TOKEN });
  });

  afterEach(() => {
    sink.requests.length = 0;
    sink.uploads.length = 0;
  });

  after(async () => {
    await sink.stop();
  });

  it('stores bytes whose sha256 is archive-sha256, without printing the token', async () => {
    const run = await runOnSampleBot({ upload: 'http', 'http-url': sink.url, 'http-token': TOKEN });

    assert.equal(run.code, 0, visibleLog(run));
    assert.equal(run.outputs.uploaded, 'http');
    assert.equal(sink.uploads.length, 1);
    assert.equal(sink.uploads[0]?.sha256, run.outputs['archive-sha256']);
    assert.equal(sink.uploads[0]?.filename, path.basename(run.outputs['archive-path'] ?? ''));
    const location = `http://127.0.0.1:${sink.port}/files/1`;
    assert.equal(run.outputs['http-location'], location);
    assert.ok(run.summary.includes(location), 'the job summary links the upload');
    assertTokenHidden(run);
  });

  it('falls back to ARTIFACT_UPLOAD_URL and ARTIFACT_UPLOAD_TOKEN with upload: auto', async () => {
    const env = { ARTIFACT_UPLOAD_URL: sink.url, ARTIFACT_UPLOAD_TOKEN: TOKEN };
    const run = await runOnSampleBot({}, env);

    assert.equal(run.code, 0, visibleLog(run));
    assert.equal(run.outputs.uploaded, 'http');
    assert.equal(sink.requests[0]?.authorized, true);
    assertTokenHidden(run);
  });

  it('treats upload: http without a URL as an input error naming http-url', async () => {
    const run = await runOnSampleBot({ upload: 'http' });

    assert.equal(run.code, 1);
    assert.match(run.stdout, /::error::.*Input 'http-url'.*ARTIFACT_UPLOAD_URL/);
    assert.equal(run.outputs['archive-path'], undefined, 'nothing ran');
    assert.equal(sink.requests.length, 0);
  });

  it('retries 503 and succeeds', async () => {
    const busy = { kind: 'status', status: 503, headers: { 'Retry-After': '0' } } as const;
    sink.script(busy, busy);
    const run = await runOnSampleBot({ upload: 'http', 'http-url': sink.url, 'http-token': TOKEN });

    assert.equal(run.code, 0, visibleLog(run));
    assert.equal(sink.requests.length, 3);
    assert.equal(sink.uploads[0]?.sha256, run.outputs['archive-sha256']);
    assert.equal(visibleLog(run).match(/HTTP upload: attempt \d of 4 failed/g)?.length, 2);
  });

  it('retries a connection reset in the middle of the body', async () => {
    sink.script({ kind: 'reset', afterBytes: 1 });
    const run = await runOnSampleBot({ upload: 'http', 'http-url': sink.url, 'http-token': TOKEN });

    assert.equal(run.code, 0, visibleLog(run));
    assert.equal(sink.requests.length, 2);
    assert.equal(sink.uploads[0]?.sha256, run.outputs['archive-sha256']);
  });

  it('fails at once on a refused token, keeps the archive and names the input', async () => {
    const run = await runOnSampleBot({
      upload: 'http',
      'http-url': sink.url,
      'http-token': `${TOKEN}-wrong`,
    });

    assert.equal(run.code, 1);
    assert.equal(sink.requests.length, 1);
    assert.equal(run.outputs.uploaded, '');
    assert.match(run.stdout, /::error::Upload to http failed: .*401 Unauthorized.*http-token/);
    assert.ok(existsSync(run.outputs['archive-path'] ?? ''), 'the archive is kept');
    assert.ok(!visibleLog(run).includes(`${TOKEN}-wrong`));
  });

  it('abandons a stalled endpoint after upload-timeout-seconds and keeps the archive', async () => {
    sink.script({ kind: 'stall' });
    const run = await runOnSampleBot({
      upload: 'http',
      'http-url': sink.url,
      'http-token': TOKEN,
      'upload-retries': '0',
      'upload-timeout-seconds': '0.5',
    });

    assert.equal(run.code, 1);
    assert.match(run.stdout, /no upload progress for 0\.5 s/);
    assert.ok(existsSync(run.outputs['archive-path'] ?? ''), 'the archive is kept');
  });

  it('keeps the archive when the endpoint is down, with auto too', async () => {
    const down = await startHttpSink();
    await down.stop();
    const run = await runOnSampleBot(
      { 'upload-retries': '0' },
      { ARTIFACT_UPLOAD_URL: down.url, ARTIFACT_UPLOAD_TOKEN: TOKEN },
    );

    assert.equal(run.code, 1, 'every destination failed');
    assert.match(run.stdout, /ECONNREFUSED/);
    assert.ok(existsSync(run.outputs['archive-path'] ?? ''), 'the archive is kept');
    assertTokenHidden(run);
  });

  it('never follows a redirect to another port with the token', async () => {
    const other = await startHttpSink();
    try {
      sink.script({ kind: 'redirect', status: 307, location: other.url });
      const run = await runOnSampleBot({
        upload: 'http',
        'http-url': sink.url,
        'http-token': TOKEN,
      });

      assert.equal(run.code, 1, visibleLog(run));
      assert.equal(other.requests.length, 0, 'the second server saw a request');
      assert.ok(!JSON.stringify(other.requests).includes(TOKEN));
      assert.match(run.stdout, new RegExp(`307 Temporary Redirect to ${other.url}`));
      assertTokenHidden(run);
    } finally {
      await other.stop();
    }
  });
});

describe('the action uploads over https through a proxy (built dist, loopback)', () => {
  it('tunnels through HTTPS_PROXY, and goes direct when NO_PROXY names the host', async () => {
    const certificate = loopbackCertificate();
    const sink = await startHttpSink({ token: TOKEN, tls: certificate });
    const proxy = await startForwardProxy();
    try {
      const env = {
        NODE_EXTRA_CA_CERTS: certificate.certPath,
        ...Object.fromEntries(PROXY_VARIABLES.map((name) => [name, undefined])),
        HTTPS_PROXY: proxy.url,
      };
      // By name: https-proxy-agent checks an IP address target's certificate against
      // "localhost" (TooTallNate/proxy-agents#365), a limitation the README states.
      const url = sink.url.replace('127.0.0.1', 'localhost');
      const inputs = { upload: 'http', 'http-url': url, 'http-token': TOKEN };
      const proxied = await runOnSampleBot(inputs, env);

      assert.equal(proxied.code, 0, visibleLog(proxied));
      assert.deepEqual(proxy.forwarded, [`CONNECT localhost:${sink.port}`]);
      assert.match(proxied.stdout, new RegExp(`through proxy ${proxy.url}`));
      assert.equal(sink.uploads[0]?.sha256, proxied.outputs['archive-sha256']);
      assert.equal(proxied.outputs['http-location'], `https://127.0.0.1:${sink.port}/files/1`);

      const direct = await runOnSampleBot(inputs, { ...env, NO_PROXY: 'localhost' });
      assert.equal(direct.code, 0, visibleLog(direct));
      assert.equal(proxy.forwarded.length, 1, 'NO_PROXY was not honoured');
      assert.equal(sink.uploads[1]?.sha256, direct.outputs['archive-sha256']);
    } finally {
      await proxy.stop();
      await sink.stop();
    }
  });
});

describe('the CLI uploads to an HTTP endpoint (built dist, loopback)', () => {
  let sink: HttpSink;

  before(async () => {
    sink = await startHttpSink({ token: TOKEN, discard: true });
  });

  after(async () => {
    await sink.stop();
  });

  it('runs the runbook invocation: collect --upload --artifact-url --artifact-token', async () => {
    const output = `${tempDir('k98-cli-out-')}/`;
    const run = await runCli(
      ['collect', '-C', BOT, '-o', output, '--upload'].concat([
        '--artifact-url',
        sink.url,
        '--artifact-token',
        TOKEN,
      ]),
    );

    assert.equal(run.code, 0, visibleLog(run));
    const archive = /Archive: (\S+)/.exec(run.stdout)?.[1] ?? '';
    assert.equal(sink.uploads.at(-1)?.sha256, sha256File(archive));
    assertTokenHidden(run);
  });

  it('refuses to `upload FILE` a file that is not gzip, sending nothing', async () => {
    const directory = tempDir('k98-cli-file-');
    const file = path.join(directory, 'log.txt');
    writeFileSync(file, 'a raw log, never scrubbed\n');
    const sent = sink.requests.length;
    const run = await runCli(['upload', file, '--artifact-url', sink.url]);

    assert.equal(run.code, 2);
    assert.match(run.stderr, /FILE has an invalid value '.*log\.txt': this is not a gzip file/);
    assert.equal(sink.requests.length, sent);
    rmSync(directory, { recursive: true, force: true });
  });

  it('fails `upload FILE` with exit 1 and keeps the file when the token is refused', async () => {
    const directory = tempDir('k98-cli-file-');
    const file = path.join(directory, 'k98-diagnostics-old.tar.gz');
    writeFileSync(file, Buffer.concat([GZIP_MAGIC, Buffer.from('gzip in its first bytes only')]));
    const run = await runCli(['upload', file, '--artifact-url', sink.url], {
      env: { ARTIFACT_UPLOAD_TOKEN: 'not-the-right-token' },
    });

    assert.equal(run.code, 1);
    assert.match(run.stderr, /401 Unauthorized/);
    assert.ok(existsSync(file));
    assert.ok(!visibleLog(run).includes('not-the-right-token'));
    rmSync(directory, { recursive: true, force: true });
  });

  it('streams a 1 GiB `upload FILE` with peak memory well below its size', async (t) => {
    const directory = tempDir('k98-big-');
    const file = path.join(directory, 'k98-diagnostics-big.tar.gz');
    // A sparse file: 1 GiB to read and send, almost nothing on disk.
    const descriptor = openSync(file, 'w');
    ftruncateSync(descriptor, GIB);
    writeSync(descriptor, GZIP_MAGIC, 0, 2, 0);
    closeSync(descriptor);

    try {
      const run = await runCli(
        ['upload', file, '--artifact-url', sink.url, '--artifact-token', TOKEN],
        { measureMemory: true },
      );

      assert.equal(run.code, 0, visibleLog(run));
      assert.equal(sink.uploads.at(-1)?.size, GIB);
      assert.equal(sink.uploads.at(-1)?.sha256, gzipMagicThenZerosSha256(GIB));
      assertTokenHidden(run);
      const peak = run.peakRssBytes ?? Number.NaN;
      t.diagnostic(`peak RSS of k98-diagnostics upload: ${(peak / 1024 ** 2).toFixed(0)} MiB`);
      assert.ok(peak < 256 * 1024 ** 2, `peak RSS ${(peak / 1024 ** 2).toFixed(0)} MiB`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
