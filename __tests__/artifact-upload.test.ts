import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { InputError } from '../src/errors.js';
import { INPUT_DEFAULTS, type InputName } from '../src/inputs/definitions.js';
import { readUploadSettings } from '../src/inputs/upload.js';
import { describeArtifactError } from '../src/upload/artifact-errors.js';
import { artifactNames, sanitizeArtifactName } from '../src/upload/artifact-name.js';
import { artifactUploader, findExistingArtifact } from '../src/upload/artifact.js';
import type { UploadResult } from '../src/upload/types.js';
import { tempDir } from './helpers/action.js';
import { fileSize, sha256File } from './helpers/archive.js';
import {
  type ArtifactBackend,
  downResultsUrl,
  runtimeToken,
  startArtifactBackend,
} from './helpers/artifact-backend.js';
import { recordingReporter, type ReportedLine } from './helpers/reporter.js';
import { uploadRequest } from './helpers/upload-request.js';

const archiveDirs: string[] = [];
after(() => {
  for (const dir of archiveDirs) rmSync(dir, { recursive: true, force: true });
});

/** A stand-in archive: random bytes, so two of them never share a digest. */
function makeArchive(bytes = 64 * 1024): string {
  const dir = tempDir('k98-artifact-test-');
  archiveDirs.push(dir);
  const file = path.join(dir, 'bundle.tar.gz');
  writeFileSync(file, randomBytes(bytes));
  return file;
}

/** The environment a runner gives a job step, for one run of the local backend. */
function jobEnv(backend: ArtifactBackend, runId: string, extra: NodeJS.ProcessEnv = {}) {
  return {
    ACTIONS_RUNTIME_TOKEN: runtimeToken(runId, 'job-1'),
    ACTIONS_RESULTS_URL: backend.resultsUrl,
    GITHUB_REPOSITORY: 'k98/bot',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'diagnostics',
    ...extra,
  };
}

async function upload(
  archive: string,
  inputs: Partial<Record<InputName, string>>,
  env: NodeJS.ProcessEnv,
): Promise<{ result: UploadResult; lines: ReportedLine[] }> {
  const { reporter, lines } = recordingReporter();
  const request = uploadRequest(archive, { upload: 'artifact', ...inputs }, env, reporter);
  return { result: await artifactUploader.upload(request), lines };
}

const said = (lines: ReportedLine[], pattern: RegExp): boolean =>
  lines.some((line) => pattern.test(line.message));

describe('artifact names', () => {
  const env = { GITHUB_JOB: 'diagnostics', GITHUB_RUN_ATTEMPT: '2' };
  const settings = { name: '', matrixKey: '', retentionDays: 0, overwrite: false };

  it('default: job, matrix key and attempt, then -2 … -10', () => {
    const names = artifactNames({ ...settings, matrixKey: '3' }, env);
    assert.equal(names.explicit, false);
    assert.equal(names.candidates.length, 10);
    assert.equal(names.candidates[0], 'k98-diagnostics-diagnostics-3-attempt2.tar.gz');
    assert.equal(names.candidates[1], 'k98-diagnostics-diagnostics-3-attempt2-2.tar.gz');
    assert.equal(names.candidates[9], 'k98-diagnostics-diagnostics-3-attempt2-10.tar.gz');
  });

  it('an explicit name is never suffixed and not given a second .tar.gz', () => {
    assert.deepEqual(artifactNames({ ...settings, name: 'bot-logs' }, env).candidates, [
      'bot-logs.tar.gz',
    ]);
    assert.deepEqual(artifactNames({ ...settings, name: 'bot-logs.tar.gz' }, env).candidates, [
      'bot-logs.tar.gz',
    ]);
  });

  it('replaces every character the service rejects', () => {
    assert.equal(sanitizeArtifactName('ubuntu:22.04/py3.12'), 'ubuntu-22.04-py3.12');
    assert.equal(sanitizeArtifactName('a"b<c>d|e*f?g\\h\r\ni'), 'a-b-c-d-e-f-g-h-i');
    const names = artifactNames({ ...settings, name: 'run 2026-12-03T10:20:30' }, env);
    assert.deepEqual(names.candidates, ['run 2026-12-03T10-20-30.tar.gz']);
    assert.equal(names.original, 'run 2026-12-03T10:20:30');
  });
});

describe('artifact error messages', () => {
  const context = {
    artifactName: 'x.tar.gz',
    archivePath: '/tmp/bundle.tar.gz',
    resultsUrl: 'https://results.example.invalid/',
    stallTimeoutMs: 120_000,
  };
  const named = (name: string, message: string): Error =>
    Object.assign(new Error(message), { name });

  it('say what to do for quota, stalls and a service that kept failing', () => {
    const quota = describeArtifactError(named('UsageError', 'quota hit\nmore'), context);
    assert.match(quota, /storage quota .* used up: delete old artifacts, lower retention-days/);
    const stalled = describeArtifactError(new Error('Upload progress stalled.'), context);
    assert.match(stalled, /no progress for 120 s \(upload-timeout-seconds\)/);
    const gaveUp = describeArtifactError(
      new Error('Failed to CreateArtifact: Failed to make request after 5 attempts: (503)'),
      context,
    );
    assert.match(gaveUp, /kept failing, the library gave up: .*after 5 attempts/);
    for (const message of [quota, stalled, gaveUp]) {
      assert.match(message, /The bundle is kept at \/tmp\/bundle.tar.gz$/);
    }
  });
});

describe('upload: artifact outside GitHub Actions', () => {
  const get = (values: Partial<Record<InputName, string>>) => (name: InputName) =>
    values[name] ?? INPUT_DEFAULTS[name];

  it('is an input error naming ACTIONS_RUNTIME_TOKEN', () => {
    assert.throws(
      () => readUploadSettings(get({ upload: 'artifact' }), { ACTIONS_RESULTS_URL: 'x' }),
      (error: unknown) =>
        error instanceof InputError &&
        /ACTIONS_RUNTIME_TOKEN not set/.test(error.message) &&
        !/ACTIONS_RESULTS_URL/.test(error.message),
    );
  });

  it('auto leaves the artifact destination out', () => {
    const settings = readUploadSettings(get({ 'http-url': 'http://127.0.0.1:9/' }), {});
    assert.deepEqual(settings.destinations, ['http']);
  });
});

describe('artifact destination against a local backend', () => {
  let backend: ArtifactBackend;
  before(async () => (backend = await startArtifactBackend()));
  after(async () => backend?.stop());

  it('uploads the tar.gz as it is: the blob has its sha256 and size; outputs set', async () => {
    const archive = makeArchive(3 * 1024 * 1024);
    const concurrencyBefore = process.env.ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY;
    const chunkSizeBefore = process.env.ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE;
    const env = jobEnv(backend, 'run-plain');
    const { result, lines } = await upload(archive, { 'retention-days': '5' }, env);
    assert.equal(result.ok, true, result.error);

    const name = 'k98-diagnostics-diagnostics-attempt1.tar.gz';
    const [stored] = backend.artifacts('run-plain');
    assert.equal(stored?.name, name);
    assert.deepEqual(await backend.blob('run-plain', name), {
      sha256: sha256File(archive),
      size: fileSize(archive),
    });
    const id = String(stored?.id);
    assert.deepEqual(result.outputs, {
      'artifact-id': id,
      'artifact-url': `https://github.com/k98/bot/actions/runs/4242/artifacts/${id}`,
      'artifact-digest': sha256File(archive),
    });
    assert.equal(result.location, result.outputs['artifact-url']);
    assert.ok(said(lines, new RegExp(`Uploaded workflow artifact '${name}'`)), 'name printed');

    const create = backend.calls.find((call) => call.method === 'CreateArtifact');
    assert.equal(create?.body.mime_type, 'application/gzip');
    const expires = Date.parse(String(create?.body.expires_at));
    const days = (expires - Date.now()) / 86_400_000;
    assert.ok(days > 4.9 && days <= 5, `retention-days 5 sent as ${String(days)} days`);
    assert.equal(process.env.ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY, concurrencyBefore);
    assert.equal(process.env.ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE, chunkSizeBefore);
    assert.ok(existsSync(archive));
  });

  it('a block size the patched library rejects fails, naming the variable', async () => {
    const archive = makeArchive();
    const env = { ...jobEnv(backend, 'run-bad-chunk'), ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE: '4k' };
    const { result } = await upload(archive, {}, env);
    assert.equal(result.ok, false);
    assert.match(
      result.error ?? '',
      /ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE env variable: '4k' \(a number of bytes/,
    );
    assert.ok(existsSync(archive));
    const creates = backend.calls.filter(
      (call) =>
        call.method === 'CreateArtifact' && call.body.workflow_run_backend_id === 'run-bad-chunk',
    );
    assert.equal(creates.length, 0, 'checked before the artifact is created');
  });

  it('a second default-named upload in the run takes the next suffix', async () => {
    const first = await upload(makeArchive(), {}, jobEnv(backend, 'run-twice'));
    const other = jobEnv(backend, 'run-twice', {
      ACTIONS_RUNTIME_TOKEN: runtimeToken('run-twice', 'job-2'),
    });
    const second = await upload(makeArchive(), {}, other);
    assert.equal(first.result.ok, true, first.result.error);
    assert.equal(second.result.ok, true, second.result.error);
    assert.deepEqual(
      backend.artifacts('run-twice').map((artifact) => artifact.name),
      [
        'k98-diagnostics-diagnostics-attempt1.tar.gz',
        'k98-diagnostics-diagnostics-attempt1-2.tar.gz',
      ],
    );
    assert.ok(said(second.lines, /'k98-diagnostics-diagnostics-attempt1.tar.gz' is already taken/));
    assert.ok(said(second.lines, /Uploaded workflow artifact '.*attempt1-2.tar.gz'/));
  });

  it('matrix values with rejected characters make a clean name, printed', async () => {
    const env = jobEnv(backend, 'run-matrix');
    const { result, lines } = await upload(
      makeArchive(),
      { 'matrix-key': 'ubuntu:22.04/py3.12' },
      env,
    );
    assert.equal(result.ok, true, result.error);
    const name = 'k98-diagnostics-diagnostics-ubuntu-22.04-py3.12-attempt1.tar.gz';
    assert.equal(backend.artifacts('run-matrix')[0]?.name, name);
    assert.ok(said(lines, /has characters the artifact service rejects; using/));
  });

  it('when all ten default names are taken it fails with advice', async () => {
    const env = jobEnv(backend, 'run-full');
    for (let index = 0; index < 10; index++) {
      assert.equal((await upload(makeArchive(1024), {}, env)).result.ok, true);
    }
    const archive = makeArchive(1024);
    const { result } = await upload(archive, {}, env);
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /all taken in this run.*matrix-key.*overwrite: true/);
    assert.equal(backend.artifacts('run-full').length, 10);
    assert.ok(existsSync(archive));
  });

  it('an explicit name that is taken fails with the conflict advice, archive kept', async () => {
    const env = jobEnv(backend, 'run-explicit');
    const inputs = { 'artifact-name': 'bot-logs' };
    assert.equal((await upload(makeArchive(), inputs, env)).result.ok, true);
    const archive = makeArchive();
    const { result } = await upload(archive, inputs, env);
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /'bot-logs.tar.gz' already exists in this workflow run/);
    assert.match(result.error ?? '', /Set artifact-name.*overwrite: true/);
    assert.match(result.error ?? '', new RegExp(`kept at ${archive}`));
    assert.ok(existsSync(archive));
    assert.equal(backend.artifacts('run-explicit').length, 1);
  });

  it('overwrite: true deletes the earlier artifact of the name and replaces it', async () => {
    const env = jobEnv(backend, 'run-overwrite');
    const inputs = { 'artifact-name': 'bot-logs', overwrite: 'true' };
    const first = await upload(makeArchive(), inputs, env);
    const archive = makeArchive();
    const second = await upload(archive, inputs, env);
    assert.equal(second.result.ok, true, second.result.error);
    const stored = backend.artifacts('run-overwrite');
    assert.equal(stored.length, 1);
    assert.notEqual(String(stored[0]?.id), first.result.outputs['artifact-id']);
    assert.equal(
      (await backend.blob('run-overwrite', 'bot-logs.tar.gz')).sha256,
      sha256File(archive),
    );
    assert.ok(said(second.lines, /Deleted the earlier artifact 'bot-logs.tar.gz'/));
  });

  it('the same bundle already under our name counts as uploaded', async () => {
    const env = jobEnv(backend, 'run-again');
    const archive = makeArchive();
    const first = await upload(archive, {}, env);
    const { reporter } = recordingReporter();
    const found = await findExistingArtifact(
      uploadRequest(archive, { upload: 'artifact' }, env, reporter),
    );
    assert.deepEqual(found?.outputs, first.result.outputs);
    const other = await findExistingArtifact(
      uploadRequest(makeArchive(), { upload: 'artifact' }, env, reporter),
    );
    assert.equal(other, undefined);

    const again = await upload(archive, {}, env);
    assert.equal(again.result.ok, true, again.result.error);
    assert.deepEqual(again.result.outputs, first.result.outputs);
    assert.equal(backend.artifacts('run-again').length, 1);
    assert.ok(said(again.lines, /already holds this bundle/));

    // A bundle that went up under a suffix is found there too, not uploaded a third time.
    const suffixed = makeArchive();
    const second = await upload(suffixed, {}, env);
    assert.ok(said(second.lines, /Uploaded workflow artifact '.*attempt1-2.tar.gz'/));
    const third = await upload(suffixed, {}, env);
    assert.deepEqual(third.result.outputs, second.result.outputs);
    assert.equal(backend.artifacts('run-again').length, 2);
  });

  it('a 500 then success is retried by the library alone', async () => {
    backend.failNext('CreateArtifact', { status: 500 });
    const { result } = await upload(makeArchive(), {}, jobEnv(backend, 'run-500'));
    assert.equal(result.ok, true, result.error);
    const creates = backend.calls.filter(
      (call) => call.method === 'CreateArtifact' && call.body.workflow_run_backend_id === 'run-500',
    );
    assert.deepEqual(
      creates.map((call) => call.status),
      [500, 200],
    );
  });

  it('401: fails at once with a credentials hint, archive kept', async () => {
    backend.failNext('CreateArtifact', {
      status: 401,
      body: { code: 'unauthenticated', msg: 'token expired' },
    });
    const archive = makeArchive();
    const { result } = await upload(archive, {}, jobEnv(backend, 'run-401'));
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /refused this job's credentials \(401\).*re-run the job/);
    assert.ok(existsSync(archive));
  });

  it('a backend that is down fails at once, naming the service', async () => {
    const archive = makeArchive();
    const env = { ...jobEnv(backend, 'run-down'), ACTIONS_RESULTS_URL: await downResultsUrl() };
    const { result } = await upload(archive, {}, env);
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /could not reach the artifact service at .*\(ECONNREFUSED\)/);
    assert.ok(existsSync(archive));
  });

  it('GitHub Enterprise Server is refused with a clear message', async () => {
    const env = jobEnv(backend, 'run-ghes', { GITHUB_SERVER_URL: 'https://git.example.invalid' });
    const { result } = await upload(makeArchive(), {}, env);
    assert.equal(result.ok, false);
    assert.match(
      result.error ?? '',
      /does not support workflow artifacts on GitHub Enterprise Server.*use s3 or http/,
    );
  });
});
