import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';

import { createHttpUploader, httpUploader } from '../src/upload/http.js';
import { failureFor } from '../src/upload/http-response.js';
import { ACTION_VERSION } from '../src/version.js';
import { startForwardProxy } from './helpers/forward-proxy.js';
import { startHttpSink, type HttpSink } from './helpers/http-sink.js';
import { recordingReporter, reportedText } from './helpers/reporter.js';
import { loopbackCertificate } from './helpers/tls.js';
import { randomArchive, uploadRequest, type TestArchive } from './helpers/upload-request.js';

const TOKEN = 'k98-test-token-5f2c9a1e7b';

// The uploader with a recorded, instant sleep: retry tests do not wait.
const waits: number[] = [];
const uploader = createHttpUploader({
  sleep: async (ms) => {
    waits.push(ms);
  },
});

describe('HTTP upload to a real endpoint on loopback', () => {
  let sink: HttpSink;
  let archive: TestArchive;
  const stops: Array<() => Promise<void>> = [];

  before(() => {
    // Large enough that a reset or a stall happens in the middle of the body.
    archive = randomArchive(4 * 1024 * 1024);
  });

  afterEach(async () => {
    waits.length = 0;
    for (const stop of stops.splice(0)) await stop();
  });

  after(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function sinkWith(token?: string): Promise<HttpSink> {
    sink = await startHttpSink({ token });
    stops.push(sink.stop);
    return sink;
  }

  function upload(inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) {
    const report = recordingReporter();
    const request = uploadRequest(
      archive.path,
      { upload: 'http', 'http-url': sink.url, 'http-token': TOKEN, ...inputs },
      env,
      report.reporter,
    );
    return { report, done: uploader.upload(request) };
  }

  it('streams the archive as field `file` with the token and a User-Agent', async () => {
    await sinkWith(TOKEN);
    const { report, done } = upload();
    const result = await done;

    assert.equal(result.ok, true, result.error);
    assert.equal(sink.uploads.length, 1);
    const stored = sink.uploads[0];
    assert.equal(stored?.sha256, archive.sha256);
    assert.equal(stored?.size, archive.size);
    assert.equal(stored?.field, 'file');
    assert.equal(stored?.filename, archive.name);
    assert.equal(stored?.mimeType, 'application/gzip');

    const headers = sink.requests[0]?.headers;
    assert.equal(sink.requests[0]?.method, 'POST');
    assert.equal(headers?.authorization, `Bearer ${TOKEN}`);
    assert.equal(headers?.['user-agent'], `k98-diagnostics-action/${ACTION_VERSION}`);
    assert.ok(Number(headers?.['content-length']) > archive.size, 'the length is known');

    const location = `http://127.0.0.1:${sink.port}/files/1`;
    assert.equal(result.location, location);
    assert.deepEqual(result.outputs, { 'http-location': location });
    assert.deepEqual(report.secrets, [TOKEN]);
    assert.ok(!reportedText(report.lines).includes(TOKEN));
  });

  it('sends no Authorization header without a token', async () => {
    await sinkWith();
    const result = await upload({ 'http-token': '' }).done;
    assert.equal(result.ok, true, result.error);
    assert.equal(sink.requests[0]?.headers.authorization, undefined);
  });

  it('reads the URL and token from ARTIFACT_UPLOAD_URL and ARTIFACT_UPLOAD_TOKEN', async () => {
    await sinkWith(TOKEN);
    const env = { ARTIFACT_UPLOAD_URL: sink.url, ARTIFACT_UPLOAD_TOKEN: TOKEN };
    const result = await upload({ 'http-url': '', 'http-token': '' }, env).done;
    assert.equal(result.ok, true, result.error);
    assert.equal(sink.requests[0]?.authorized, true);
  });

  it('succeeds after 503 twice, honouring Retry-After, and logs each retry', async () => {
    await sinkWith(TOKEN);
    const busy = { kind: 'status', status: 503, headers: { 'Retry-After': '4' } } as const;
    sink.script(busy, busy);
    const { report, done } = upload();
    const result = await done;

    assert.equal(result.ok, true, result.error);
    assert.equal(sink.requests.length, 3);
    assert.equal(sink.uploads[0]?.sha256, archive.sha256);
    assert.deepEqual(waits, [4000, 4000]);
    const retries = report.lines.filter((line) => line.message.includes('retrying in'));
    assert.equal(retries.length, 2);
    assert.match(retries[0]?.message ?? '', /attempt 1 of 4 failed: the endpoint answered 503/);
  });

  it('gives up after upload-retries and keeps the archive', async () => {
    await sinkWith(TOKEN);
    const broken = { kind: 'status', status: 502, body: 'bad gateway' } as const;
    sink.script(broken, broken, broken);
    const result = await upload({ 'upload-retries': '2' }).done;

    assert.equal(result.ok, false);
    assert.equal(sink.requests.length, 3);
    assert.match(result.error ?? '', /502 Bad Gateway.*bad gateway.*gave up after 3 attempts/);
    assert.equal(waits.length, 2);
    assert.ok(
      waits.every((wait) => wait >= 500 && wait <= 2000),
      String(waits),
    );
    assert.ok(existsSync(archive.path));
  });

  it('fails at once on 401 with a hint about the token, never showing it', async () => {
    await sinkWith('another-token-entirely');
    const { report, done } = upload();
    const result = await done;

    assert.equal(result.ok, false);
    assert.equal(sink.requests.length, 1);
    assert.match(result.error ?? '', /401 Unauthorized: the token was refused; check http-token/);
    assert.ok(!(result.error ?? '').includes(TOKEN));
    assert.ok(!reportedText(report.lines).includes(TOKEN));
    assert.ok(existsSync(archive.path));
  });

  it('explains 404 and 413 without retrying', async () => {
    await sinkWith(TOKEN);
    sink.script({ kind: 'status', status: 404 }, { kind: 'status', status: 413 });
    const missing = await upload().done;
    const tooLarge = await upload().done;

    assert.match(missing.error ?? '', /404 Not Found: .*check http-url/);
    assert.match(
      tooLarge.error ?? '',
      /413 Payload Too Large: the bundle \(4\.0 MiB\).*max-bundle-size/,
    );
    assert.equal(sink.requests.length, 2);
  });

  it('retries a connection reset in the middle of the body', async () => {
    await sinkWith(TOKEN);
    sink.script({ kind: 'reset', afterBytes: 512 * 1024 });
    const { report, done } = upload();
    const result = await done;

    assert.equal(result.ok, true, result.error);
    assert.equal(sink.requests.length, 2);
    assert.equal(sink.uploads[0]?.sha256, archive.sha256);
    assert.equal(waits.length, 1);
    assert.match(
      reportedText(report.lines),
      /attempt 1 of 4 failed: .*(ECONNRESET|EPIPE|socket hang up)/,
    );
  });

  it('abandons an attempt when the server stops reading and answering', async () => {
    await sinkWith(TOKEN);
    sink.script({ kind: 'stall' }, { kind: 'stall' });
    const result = await upload({ 'upload-timeout-seconds': '0.5', 'upload-retries': '1' }).done;

    assert.equal(result.ok, false);
    assert.equal(sink.requests.length, 2);
    assert.match(result.error ?? '', /no upload progress for 0\.5 s.*upload-timeout-seconds/);
    assert.ok(existsSync(archive.path));
  });

  it('never sends the token to another origin when redirected', async () => {
    await sinkWith(TOKEN);
    const other = await startHttpSink();
    stops.push(other.stop);
    const target = `${other.url}?copy=${TOKEN}`;
    sink.script({ kind: 'redirect', status: 307, location: target });
    const { report, done } = upload();
    const result = await done;

    assert.equal(result.ok, false);
    assert.equal(other.requests.length, 0);
    assert.ok(other.requests.every((request) => !JSON.stringify(request).includes(TOKEN)));
    assert.match(result.error ?? '', /307 Temporary Redirect/);
    assert.ok((result.error ?? '').includes(`${other.url}?copy=***`), result.error);
    assert.ok(!reportedText(report.lines).includes(TOKEN));
  });

  it('follows a 307 within the same origin', async () => {
    await sinkWith(TOKEN);
    sink.script({ kind: 'redirect', status: 307, location: '/upload/v2' });
    const result = await upload().done;

    assert.equal(result.ok, true, result.error);
    assert.deepEqual(
      sink.requests.map((request) => [request.url, request.authorized]),
      [
        ['/upload', true],
        ['/upload/v2', true],
      ],
    );
    assert.equal(sink.uploads[0]?.sha256, archive.sha256);
  });

  it('takes the location from JSON fields in order, then Location, then the text', async () => {
    await sinkWith(TOKEN);
    const json = JSON.stringify({ location: 'https://c/3', artifact_url: 'https://b/2' });
    sink.script(
      { kind: 'store', body: json },
      { kind: 'store', status: 201, headers: { Location: '/files/9' }, body: '' },
      { kind: 'store', status: 200, body: `  stored as ${'x'.repeat(3000)}\n` },
    );
    const fromJson = await upload().done;
    const fromHeader = await upload().done;
    const fromText = await upload().done;

    assert.equal(fromJson.outputs['http-location'], 'https://b/2');
    assert.equal(fromHeader.outputs['http-location'], `http://127.0.0.1:${sink.port}/files/9`);
    const text = fromText.outputs['http-location'] ?? '';
    assert.ok(text.startsWith('stored as xxx'));
    assert.equal(text.length, 2000);
  });

  it('refuses to send a token over plain http to a host that is not loopback', async () => {
    await sinkWith(TOKEN);
    // 0.0.0.0 reaches this machine but is not a loopback name: a broken check shows up here.
    const url = `http://0.0.0.0:${sink.port}/upload`;
    const refused = await upload({ 'http-url': url }).done;
    assert.equal(refused.ok, false);
    assert.match(refused.error ?? '', /plain http:\/\/.*allow-insecure-http/);
    assert.equal(sink.requests.length, 0);

    const allowed = await upload({ 'http-url': url, 'allow-insecure-http': 'true' }).done;
    assert.equal(allowed.ok, true, allowed.error);
  });

  it('goes through HTTP_PROXY, and not when NO_PROXY names the host', async () => {
    await sinkWith(TOKEN);
    const proxy = await startForwardProxy();
    stops.push(proxy.stop);
    const names = ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
    const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    try {
      for (const name of names) delete process.env[name];
      process.env.HTTP_PROXY = proxy.url;
      const proxied = await upload().done;
      assert.equal(proxied.ok, true, proxied.error);
      assert.deepEqual(proxy.forwarded, [sink.url]);

      process.env.NO_PROXY = '127.0.0.1';
      const direct = await upload().done;
      assert.equal(direct.ok, true, direct.error);
      assert.equal(proxy.forwarded.length, 1);
      assert.equal(sink.uploads.length, 2);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('uploads an empty file', async () => {
    await sinkWith(TOKEN);
    const empty = randomArchive(0, 'empty.tar.gz');
    const request = uploadRequest(
      empty.path,
      { upload: 'http', 'http-url': sink.url, 'http-token': TOKEN },
      {},
      recordingReporter().reporter,
    );
    const result = await uploader.upload(request);
    assert.equal(result.ok, true, result.error);
    assert.equal(sink.uploads[0]?.size, 0);
  });

  it('does not retry an endpoint whose certificate is not trusted', async () => {
    const secure = await startHttpSink({ token: TOKEN, tls: loopbackCertificate() });
    stops.push(secure.stop);
    sink = secure;
    const { report, done } = upload();
    const result = await done;

    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /TLS certificate was not accepted.*NODE_EXTRA_CA_CERTS/);
    assert.equal(waits.length, 0);
    assert.ok(!reportedText(report.lines).includes('retrying'));
  });

  it('fails clearly when the archive is gone', async () => {
    await sinkWith(TOKEN);
    const { reporter } = recordingReporter();
    const request = uploadRequest(
      archive.path,
      { upload: 'http', 'http-url': sink.url },
      {},
      reporter,
    );
    const result = await httpUploader.upload({
      ...request,
      archivePath: `${archive.path}.missing`,
    });
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /cannot read the archive .*\.missing/);
    assert.equal(sink.requests.length, 0);
  });
});

describe('the message for an endpoint that answers 413', () => {
  it('gives the size of a small bundle in a unit that shows it', () => {
    const answer = { status: 413, headers: {}, text: '' };
    const message = failureFor(answer, { hasToken: true, size: 2406 }).message;

    assert.match(message, /the bundle \(2\.3 KiB\) is larger than the endpoint accepts/);
  });
});
