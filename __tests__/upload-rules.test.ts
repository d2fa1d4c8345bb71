import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { INPUT_DEFAULTS, type InputName } from '../src/inputs/definitions.js';
import { readUploadSettings } from '../src/inputs/upload.js';
import { uploadEverywhere, uploadsFailed } from '../src/upload/index.js';
import type { UploadResult } from '../src/upload/types.js';
import { startHttpSink, type HttpSink } from './helpers/http-sink.js';
import { recordingReporter, reportedText } from './helpers/reporter.js';
import { randomArchive, uploadRequest } from './helpers/upload-request.js';

function settings(inputs: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = {}) {
  return readUploadSettings((name) => inputs[name] ?? INPUT_DEFAULTS[name], env);
}

const ARTIFACT_ENV = { ACTIONS_RUNTIME_TOKEN: 'a.b.c', ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/' };

describe('choosing destinations', () => {
  it('auto picks each destination whose settings are present', () => {
    assert.deepEqual(settings({}).destinations, []);
    assert.deepEqual(settings({}, ARTIFACT_ENV).destinations, ['artifact']);
    const all = settings(
      { 's3-bucket': 'diagnostics' },
      { ...ARTIFACT_ENV, ARTIFACT_UPLOAD_URL: 'https://artifacts.example.com/upload' },
    );
    assert.deepEqual(all.destinations, ['artifact', 's3', 'http']);
    assert.equal(all.explicit, false);
  });

  it('auto leaves the artifact out unless both runner variables are set', () => {
    const half = { ACTIONS_RUNTIME_TOKEN: 'a.b.c' };
    assert.deepEqual(settings({}, half).destinations, []);
  });

  it('none uploads nowhere, whatever is configured', () => {
    const none = settings({ upload: 'none', 'http-url': 'https://a.example/up' }, ARTIFACT_ENV);
    assert.deepEqual(none.destinations, []);
  });

  it('an explicit list is kept and marked explicit', () => {
    const chosen = settings({ upload: 'http, s3', 'http-url': 'https://a/up', 's3-bucket': 'b' });
    assert.deepEqual(chosen.destinations, ['s3', 'http']);
    assert.equal(chosen.explicit, true);
  });

  it('naming http without a URL is an input error naming http-url', () => {
    assert.throws(() => settings({ upload: 'http' }), /Input 'http-url'.*ARTIFACT_UPLOAD_URL/);
  });

  it('rejects an endpoint that is not an http(s) URL', () => {
    assert.throws(() => settings({ 'http-url': 'ftp://a/up' }), /Input 'http-url'.*https:\/\//);
    assert.throws(
      () => settings({}, { ARTIFACT_UPLOAD_URL: 'artifacts.example.com' }),
      /Input 'http-url' has an invalid value 'artifacts.example.com'/,
    );
  });

  it('falls back to ARTIFACT_UPLOAD_URL and ARTIFACT_UPLOAD_TOKEN, trimmed', () => {
    const chosen = settings(
      { upload: 'http' },
      { ARTIFACT_UPLOAD_URL: 'https://a/up', ARTIFACT_UPLOAD_TOKEN: 'secret-token-1\n' },
    );
    assert.equal(chosen.http.url, 'https://a/up');
    assert.equal(chosen.http.token, 'secret-token-1');
  });

  it('an input wins over its environment variable', () => {
    const chosen = settings(
      { 'http-url': 'https://input/up', 'http-token': 'from-input' },
      { ARTIFACT_UPLOAD_URL: 'https://env/up', ARTIFACT_UPLOAD_TOKEN: 'from-env' },
    );
    assert.equal(chosen.http.url, 'https://input/up');
    assert.equal(chosen.http.token, 'from-input');
  });
});

describe('when uploads fail the step', () => {
  const ok = { ok: true } as UploadResult;
  const failed = { ok: false } as UploadResult;

  it('explicit: any failure fails the step', () => {
    assert.equal(uploadsFailed([ok, failed], true), true);
    assert.equal(uploadsFailed([ok, ok], true), false);
  });

  it('auto: only when every destination failed', () => {
    assert.equal(uploadsFailed([ok, failed], false), false);
    assert.equal(uploadsFailed([failed, failed], false), true);
    assert.equal(uploadsFailed([], false), false);
  });
});

describe('destinations are independent', () => {
  let sink: HttpSink;

  before(async () => {
    sink = await startHttpSink({ token: 'rules-test-token' });
  });

  after(async () => {
    await sink.stop();
  });

  it('a failing destination does not stop the next one', async () => {
    const archive = randomArchive(64 * 1024);
    const report = recordingReporter();
    // The artifact service here is a closed loopback port: it fails, whether built or not.
    const request = uploadRequest(
      archive.path,
      { upload: 'artifact,http', 'http-url': sink.url, 'http-token': 'rules-test-token' },
      ARTIFACT_ENV,
      report.reporter,
    );
    const results = await uploadEverywhere(request);

    assert.deepEqual(
      results.map((result) => [result.destination, result.ok]),
      [
        ['artifact', false],
        ['http', true],
      ],
    );
    assert.equal(sink.uploads[0]?.sha256, archive.sha256);
    assert.equal(uploadsFailed(results, true), true);
    assert.match(reportedText(report.lines), /error: Upload to artifact failed: .+/);
  });

  it('with auto, a failed destination is a warning', async () => {
    const report = recordingReporter();
    const request = uploadRequest(
      randomArchive(1024).path,
      { upload: 'auto', 'http-url': sink.url, 'http-token': 'rules-test-token' },
      ARTIFACT_ENV,
      report.reporter,
    );
    const results = await uploadEverywhere(request);

    assert.deepEqual(
      results.map((result) => result.ok),
      [false, true],
    );
    assert.match(reportedText(report.lines), /warning: Upload to artifact failed: .+/);
    assert.equal(uploadsFailed(results, request.settings.explicit), false);
  });
});
