/**
 * Row 4: uploading a ~300 MiB archive with the CLI (`k98-diagnostics upload FILE`): to the
 * local S3 server against `s3cmd put` of the same file, to a loopback HTTP sink against curl,
 * and as a workflow artifact to the tests' Azurite and results service against curl putting
 * the same file into Azurite as one blob. A destination whose uploader is not merged yet is
 * reported as such, not measured.
 */
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

import {
  type ArtifactBackend,
  runtimeToken,
  startArtifactBackend,
} from '../../__tests__/helpers/artifact-backend.js';
import { row, type BenchContext } from './bundle-rows.js';
import { startHttpSink } from './http-sink.js';
import { measure, measureRuns } from './measure.js';
import { formatBytes } from './stats.js';
import type { Row } from './table.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI_ENTRY = path.join(REPO_ROOT, 'dist/cli/index.js');

/** Whether the uploader for `destination` is still the placeholder that always fails. */
export function uploaderIsStub(destination: 'http' | 's3'): boolean {
  const source = readFileSync(path.join(REPO_ROOT, `src/upload/${destination}.ts`), 'utf8');
  return source.includes('is not available yet');
}

export function hasProgram(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** An incompressible file standing in for an archive (a real one is already compressed). */
export function makeArchiveFile(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4 * 1024 * 1024);
  try {
    for (let written = 0; written < bytes; written += block.length) {
      randomFillSync(block);
      // Begins as gzip does: `k98-diagnostics upload` refuses anything else.
      if (written === 0) block.set([0x1f, 0x8b]);
      writeSync(fd, block, 0, Math.min(block.length, bytes - written));
    }
  } finally {
    closeSync(fd);
  }
}

export async function httpUploadRow(context: BenchContext, file: string): Promise<Row> {
  const what = `4. upload ${formatBytes(statSync(file).size)}, HTTP to loopback sink`;
  const merged = !uploaderIsStub('http');
  if (!merged) {
    context.notes.push(
      'Row 4 HTTP: the HTTP uploader is not merged into this branch yet; only curl is measured.',
    );
  }
  const sink = await startHttpSink();
  try {
    const cli = () =>
      measure(process.execPath, [
        CLI_ENTRY,
        'upload',
        file,
        '--upload-to',
        'http',
        '--artifact-url',
        sink.url,
      ]);
    const curl = () =>
      measure('curl', ['-sS', '-f', '-o', '/dev/null', '-F', `file=@${file}`, sink.url]);
    const action = [];
    const baseline = [];
    for (let run = 0; run < context.runs; run++) {
      context.log(`  HTTP upload: run ${run + 1}`);
      if (merged) {
        action.push(...(await measureRuns(1, cli, 'k98-diagnostics upload (http)')));
        if (sink.lastBytes() < statSync(file).size) {
          throw new Error('the HTTP sink got less than the file');
        }
      }
      if (hasProgram('curl')) baseline.push(...(await measureRuns(1, curl, 'curl')));
    }
    const baseName = baseline.length > 0 ? 'curl -F' : 'no curl';
    if (merged) return row(what, action, baseName, baseline.length > 0 ? baseline : null);
    const curlRow = row(what, baseline, '', null);
    return [what, 'not merged yet', '', '', baseName, ...curlRow.slice(1, 4), ''];
  } finally {
    await sink.stop();
  }
}

export async function s3UploadRow(context: BenchContext, file: string): Promise<Row> {
  const what = `4. upload ${formatBytes(statSync(file).size)}, S3 multipart to local server`;
  if (uploaderIsStub('s3')) {
    context.notes.push('Row 4 S3: the S3 uploader is not merged into this branch yet.');
    return [what, 'not merged yet', '', '', '', '', '', '', ''];
  }
  const server = await startLocalS3(context);
  try {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: server.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    };
    const cli = () =>
      measure(
        process.execPath,
        [
          CLI_ENTRY,
          'upload',
          file,
          '--upload-to',
          's3',
          '--s3-bucket',
          'bench',
          '--s3-region',
          server.region,
          '--s3-endpoint',
          server.endpoint,
        ],
        { env },
      );
    const config = path.join(context.workDir, 's3cmd.cfg');
    const host = new URL(server.endpoint).host;
    writeFileSync(
      config,
      `[default]\naccess_key = ${server.accessKeyId}\nsecret_key = ${server.secretAccessKey}\n` +
        `host_base = ${host}\nhost_bucket = ${host}\nuse_https = False\n` +
        'signature_v2 = False\nbucket_location = us-east-1\n',
    );
    const s3cmd = () =>
      measure('s3cmd', ['-c', config, '--no-progress', 'put', file, 's3://bench/s3cmd.tar.gz']);
    const action = [];
    const baseline = [];
    for (let run = 0; run < context.runs; run++) {
      context.log(`  S3 upload: run ${run + 1}`);
      action.push(...(await measureRuns(1, cli, 'k98-diagnostics upload (s3)')));
      if (hasProgram('s3cmd')) baseline.push(...(await measureRuns(1, s3cmd, 's3cmd put')));
    }
    context.notes.push(`Row 4 S3: server ${server.kind} on ${server.endpoint}.`);
    return row(
      what,
      action,
      baseline.length ? 's3cmd put' : 'no s3cmd',
      baseline.length ? baseline : null,
    );
  } finally {
    await server.stop();
  }
}

export async function artifactUploadRow(context: BenchContext, file: string): Promise<Row> {
  const size = statSync(file).size;
  const what = `4. upload ${formatBytes(size)}, workflow artifact to Azurite`;
  const backend = await startArtifactBackend();
  try {
    // A run id of its own per run, so every run creates, uploads and finalizes a new artifact.
    const cli = (runId: string) => () =>
      measure(process.execPath, [CLI_ENTRY, 'upload', file, '--upload-to', 'artifact'], {
        env: artifactEnv(backend, runId),
      });
    // The same bytes into the same blob store as one Put Blob, without hashing or staging.
    const url = backend.uploadUrl('bench/curl.tar.gz');
    const header = 'x-ms-blob-type: BlockBlob';
    const curl = () =>
      measure('curl', ['-sS', '-f', '-o', '/dev/null', '-H', header, '-T', file, url]);
    const action = [];
    const baseline = [];
    for (let run = 0; run < context.runs; run++) {
      context.log(`  artifact upload: run ${run + 1}`);
      const runId = `bench-${run}`;
      action.push(...(await measureRuns(1, cli(runId), 'k98-diagnostics upload (artifact)')));
      if (backend.artifacts(runId)[0]?.size !== size) {
        throw new Error('the artifact backend did not finalize an artifact of the file size');
      }
      if (hasProgram('curl')) baseline.push(...(await measureRuns(1, curl, 'curl -T')));
    }
    context.notes.push(
      'Row 4 artifact: Azurite and the results service of the tests; the CLI stages 4 MiB ' +
        'blocks one at a time, curl -T puts the file as one blob.',
    );
    const baseName = baseline.length > 0 ? 'curl -T (one blob)' : 'no curl';
    return row(what, action, baseName, baseline.length > 0 ? baseline : null);
  } finally {
    await backend.stop();
  }
}

/** The variables a job's step gets, pointing @actions/artifact at the local backend. */
function artifactEnv(backend: ArtifactBackend, runId: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('GITHUB_') || name.startsWith('ACTIONS_')) delete env[name];
  }
  return {
    ...env,
    ACTIONS_RUNTIME_TOKEN: runtimeToken(runId, 'bench-job'),
    ACTIONS_RESULTS_URL: backend.resultsUrl,
  };
}

interface LocalS3 {
  kind: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/** The teammates' test server (radosgw when installed, else s3rver), with a `bench` bucket. */
export async function startLocalS3(context: BenchContext): Promise<LocalS3> {
  // A variable path, so the script still type-checks before the S3 helper is merged.
  const helper = path.join(REPO_ROOT, '__tests__/helpers/s3-server.ts');
  const { startS3Server } = (await import(helper)) as {
    startS3Server: (options: {
      buckets: string[];
      log?: (line: string) => void;
    }) => Promise<LocalS3>;
  };
  return startS3Server({ buckets: ['bench'], log: context.log });
}
