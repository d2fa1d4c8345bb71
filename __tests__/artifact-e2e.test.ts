import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';

import { type ActionRun, runAction, runCli, tempDir } from './helpers/action.js';
import {
  type ArtifactBackend,
  downResultsUrl,
  runtimeToken,
  startArtifactBackend,
} from './helpers/artifact-backend.js';
import { COLLECT_ONLY, makeBotTree } from './helpers/bot-tree.js';
import { GZIP_MAGIC, sha256OfFile } from './helpers/upload-request.js';

/** The variables the runner gives a job in run `runId`, pointing at the local backend. */
function jobEnv(backend: ArtifactBackend, runId: string, jobId = 'job-1') {
  return {
    ACTIONS_RUNTIME_TOKEN: runtimeToken(runId, jobId),
    ACTIONS_RESULTS_URL: backend.resultsUrl,
    GITHUB_REPOSITORY: 'k98/bot',
    GITHUB_RUN_ID: '777',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'diagnostics',
  };
}

/** The action collecting a fresh bot tree (no commands) and uploading as a workflow artifact. */
function collectAndUpload(env: Record<string, string>, inputs: Record<string, string> = {}) {
  const bot = makeBotTree({ logLines: 200 });
  return runAction({
    cwd: bot,
    env,
    inputs: { ...COLLECT_ONLY, 'working-directory': bot, upload: 'artifact', ...inputs },
  });
}

const log = (run: ActionRun): string => run.stdout + run.stderr;

describe('the action uploads a workflow artifact (built dist, local backend)', () => {
  let backend: ArtifactBackend;
  before(async () => (backend = await startArtifactBackend()));
  after(async () => backend?.stop());

  it('the blob is the archive; outputs and summary link it; a second run is suffixed', async () => {
    const first = await collectAndUpload(jobEnv(backend, 'e2e-default'));
    assert.equal(first.code, 0, log(first));
    const name = 'k98-diagnostics-diagnostics-attempt1.tar.gz';
    const blob = await backend.blob('e2e-default', name);
    assert.equal(blob.sha256, first.outputs['archive-sha256']);
    assert.equal(String(blob.size), first.outputs['archive-size']);

    const id = String(backend.artifacts('e2e-default')[0]?.id);
    const url = `https://github.com/k98/bot/actions/runs/777/artifacts/${id}`;
    assert.equal(first.outputs['artifact-id'], id);
    assert.equal(first.outputs['artifact-url'], url);
    assert.equal(first.outputs['artifact-digest'], first.outputs['archive-sha256']);
    assert.equal(first.outputs.uploaded, 'artifact');
    assert.ok(first.summary.includes(url), first.summary);
    assert.ok(first.stdout.includes(`Uploaded workflow artifact '${name}'`));
    assert.match(first.stdout, /maxConcurrency: 1,/);

    // Another job of the same run (a matrix sibling without matrix-key) takes the next name.
    const second = await collectAndUpload(jobEnv(backend, 'e2e-default', 'job-2'));
    assert.equal(second.code, 0, log(second));
    const names = backend.artifacts('e2e-default').map((artifact) => artifact.name);
    assert.deepEqual(names, [name, 'k98-diagnostics-diagnostics-attempt1-2.tar.gz']);
    assert.ok(second.stdout.includes("Uploaded workflow artifact '"), log(second));
    assert.ok(second.stdout.includes('attempt1-2.tar.gz'), log(second));
  });

  it('an explicit name taken fails with the conflict advice; overwrite replaces', async () => {
    const env = jobEnv(backend, 'e2e-explicit');
    const inputs = { 'artifact-name': 'bot-logs' };
    const first = await collectAndUpload(env, inputs);
    assert.equal(first.code, 0, log(first));

    const second = await collectAndUpload(env, inputs);
    assert.notEqual(second.code, 0);
    assert.match(log(second), /'bot-logs.tar.gz' already exists in this workflow run/);
    assert.match(log(second), /set overwrite: true/);
    assert.ok(existsSync(second.outputs['archive-path'] ?? ''), 'archive kept');
    assert.equal(second.outputs['artifact-id'], undefined);

    const third = await collectAndUpload(env, { ...inputs, overwrite: 'true' });
    assert.equal(third.code, 0, log(third));
    const stored = backend.artifacts('e2e-explicit');
    assert.equal(stored.length, 1);
    assert.equal(String(stored[0]?.id), third.outputs['artifact-id']);
    const blob = await backend.blob('e2e-explicit', 'bot-logs.tar.gz');
    assert.equal(blob.sha256, third.outputs['archive-sha256']);
  });

  it('post after a main step killed before recording its upload: already uploaded', async () => {
    const bot = makeBotTree({ logLines: 200 });
    const env = jobEnv(backend, 'e2e-post');
    const inputs = { ...COLLECT_ONLY, 'working-directory': bot, upload: 'artifact' };
    const main = await runAction({ cwd: bot, env, inputs });
    assert.equal(main.code, 0, log(main));

    // As if the runner killed main between the upload and saving `uploads-done`.
    const state = Object.fromEntries(
      Object.entries(main.state).filter(([name]) => name !== 'uploads-done'),
    );
    const post = await runAction({ cwd: bot, env, inputs, state });
    assert.match(post.stdout, /already holds this bundle; not uploading it again/, log(post));
    assert.match(post.stdout, /Uploaded to artifact: https:\/\/github.com\/k98\/bot\//);
    assert.equal(backend.artifacts('e2e-post').length, 1);
    assert.equal(post.code, 0, log(post));
  });

  it('a 500 on finalize, then success, succeeds through the library retry', async () => {
    backend.failNext('FinalizeArtifact', { status: 500 });
    const run = await collectAndUpload(jobEnv(backend, 'e2e-500'));
    assert.equal(run.code, 0, log(run));
    const finalizes = backend.calls.filter(
      (call) =>
        call.method === 'FinalizeArtifact' && call.body.workflow_run_backend_id === 'e2e-500',
    );
    assert.deepEqual(
      finalizes.map((call) => call.status),
      [500, 200],
    );
    assert.equal(run.outputs['artifact-digest'], run.outputs['archive-sha256']);
  });

  it('a backend that is down fails clearly and the other destination still runs', async () => {
    const received: string[] = [];
    const server = await startTrivialHttpServer(received);
    try {
      const env = { ...jobEnv(backend, 'e2e-down'), ACTIONS_RESULTS_URL: await downResultsUrl() };
      const port = (server.address() as AddressInfo).port;
      const run = await collectAndUpload(env, {
        upload: 'artifact,http',
        'http-url': `http://127.0.0.1:${port}/upload`,
      });
      assert.notEqual(run.code, 0);
      assert.match(log(run), /could not reach the artifact service at http:\/\/127\.0\.0\.1/);
      assert.match(log(run), /ECONNREFUSED/);
      // The http destination was tried after the artifact failed (whatever it answered).
      assert.ok(run.stdout.indexOf('Upload: http') > run.stdout.indexOf('Upload: artifact'));
      assert.ok(existsSync(run.outputs['archive-path'] ?? ''), 'archive kept');
      assert.equal(backend.artifacts('e2e-down').length, 0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('k98-diagnostics upload of 256 MiB goes in 4 MiB blocks, under 150 MB of memory', async () => {
    // 256 MiB in /tmp: written, uploaded and hashed, then removed whatever happens.
    const dir = tempDir('k98-artifact-big-');
    const file = path.join(dir, 'big.tar.gz');
    let run: ActionRun;
    let fileSha256: string;
    try {
      await writeRandomFile(file, 256 * 1024 * 1024);
      const env = jobEnv(backend, 'e2e-big');
      run = await runCli(['upload', file, '--upload-to', 'artifact'], { env, measureMemory: true });
      fileSha256 = sha256OfFile(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(run.code, 0, log(run).slice(-4000));
    const blob = await backend.blob('e2e-big', 'k98-diagnostics-diagnostics-attempt1.tar.gz');
    assert.equal(blob.sha256, fileSha256);
    assert.equal(blob.size, 256 * 1024 * 1024);
    // The patched library staged 4 MiB blocks (patches/), not its own 8 MiB.
    const blocks = await backend.blockSizes(
      'e2e-big',
      'k98-diagnostics-diagnostics-attempt1.tar.gz',
    );
    assert.deepEqual(new Set(blocks), new Set([4 * 1024 * 1024]));
    assert.equal(blocks.length, 64);
    const peak = run.peakRssBytes ?? Infinity;
    // The bound, 150 MB. Node 20: 115-118 MiB; Node 24 131-136 MiB (8 MiB blocks:
    // 130-137 and 151-162; without the forced collections far more).
    assert.ok(peak < 150 * 1000 * 1000, `peak ${Math.round(peak / 1048576)} MiB`);
  });
});

/** An HTTP endpoint that accepts any POST with 201, to show a second destination runs. */
async function startTrivialHttpServer(received: string[]): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received.push(`${request.method} ${request.url}`);
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ url: 'http://127.0.0.1/stored' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Random bytes written in 1 MiB pieces, so the test process itself stays small. */
async function writeRandomFile(file: string, size: number): Promise<void> {
  async function* pieces() {
    for (let written = 0; written < size; written += 1024 * 1024) {
      const piece = randomBytes(1024 * 1024);
      // Begins as gzip does, as `k98-diagnostics upload` checks.
      if (written === 0) piece.set(GZIP_MAGIC);
      yield piece;
    }
  }
  await pipeline(Readable.from(pieces()), createWriteStream(file));
}
