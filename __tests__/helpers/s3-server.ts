import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

import { REPO_ROOT, tempDir } from './action.js';

const run = promisify(execFile);
const CEPH_SCRIPT = path.join(REPO_ROOT, '__tests__/servers/ceph-s3.sh');
const S3RVER_SCRIPT = path.join(REPO_ROOT, '__tests__/servers/s3rver.mjs');
const CEPH_PROGRAMS = ['radosgw', 'radosgw-admin', 'ceph-mon', 'ceph-osd', 'ceph'];

/** A real S3 server on 127.0.0.1, with a user and buckets made for the tests. */
export interface S3Server {
  /** Which implementation runs: the tests log it, so a fallback is never silent. */
  kind: 'radosgw' | 's3rver';
  endpoint: string;
  region: 'us-east-1';
  accessKeyId: string;
  secretAccessKey: string;
  buckets: string[];
  /** A client with the server's credentials, to check what was stored. */
  client: S3Client;
  stop(): Promise<void>;
}

export interface S3ServerOptions {
  buckets: string[];
  /** Force one implementation; by default radosgw when installed (K98_S3_SERVER overrides). */
  kind?: 'radosgw' | 's3rver';
  log?: (line: string) => void;
}

/**
 * Starts Ceph's radosgw as a throwaway one-node cluster when it is installed (.ci/install-s3.sh),
 * else the lighter @20minutes/s3rver. Everything started is stopped by pid, also when the
 * start fails half-way or the test process exits early.
 */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const wanted = options.kind ?? envKind() ?? (cephInstalled() ? 'radosgw' : 's3rver');
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (wanted === 'radosgw') {
    log('S3 test server: Ceph radosgw (one-node in-memory cluster)');
    return startCeph(options.buckets);
  }
  const reason = options.kind || envKind() ? 'requested' : 'Ceph is not installed here';
  log(`S3 test server: @20minutes/s3rver (${reason}; run .ci/install-s3.sh for radosgw)`);
  return startS3rver(options.buckets);
}

function envKind(): 'radosgw' | 's3rver' | undefined {
  const value = process.env.K98_S3_SERVER;
  return value === 'radosgw' || value === 's3rver' ? value : undefined;
}

function cephInstalled(): boolean {
  return CEPH_PROGRAMS.every((program) => {
    try {
      execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

async function startCeph(buckets: string[]): Promise<S3Server> {
  const dir = tempDir('k98-ceph-');
  const [rgwPort, monPort] = [await freePort(), await freePort()];
  const credentials = { accessKeyId: 'K98TESTACCESSKEY', secretAccessKey: 'k98-test-secret-key' };
  const stopCluster = (): void => {
    execFileSync(CEPH_SCRIPT, ['stop', dir], { stdio: 'ignore' });
  };
  process.once('exit', stopCluster);
  const stop = async (): Promise<void> => {
    process.off('exit', stopCluster);
    await run(CEPH_SCRIPT, ['stop', dir]);
  };
  const stopAndClean = async (): Promise<void> => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await run(CEPH_SCRIPT, [
      'start',
      dir,
      String(rgwPort),
      String(monPort),
      credentials.accessKeyId,
      credentials.secretAccessKey,
    ]);
    const server = describeServer('radosgw', rgwPort, credentials, buckets, stopAndClean);
    for (const bucket of buckets) {
      await server.client.send(new CreateBucketCommand({ Bucket: bucket }));
    }
    return server;
  } catch (error) {
    await stop();
    // The directory stays: its logs say why.
    throw new Error(`radosgw did not start (logs in ${dir}/log): ${String(error)}`);
  }
}

async function startS3rver(buckets: string[]): Promise<S3Server> {
  const dir = tempDir('k98-s3rver-');
  const child = spawn(process.execPath, [S3RVER_SCRIPT, '0', dir, ...buckets], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killChild = (): void => {
    if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  };
  process.once('exit', killChild);
  const stop = async (): Promise<void> => {
    process.off('exit', killChild);
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const port = await readListeningPort(child);
    return describeServer(
      's3rver',
      port,
      { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      buckets,
      stop,
    );
  } catch (error) {
    await stop();
    throw error;
  }
}

function describeServer(
  kind: S3Server['kind'],
  port: number,
  credentials: { accessKeyId: string; secretAccessKey: string },
  buckets: string[],
  stop: () => Promise<void>,
): S3Server {
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    kind,
    endpoint,
    region: 'us-east-1',
    ...credentials,
    buckets,
    client,
    stop: async () => {
      client.destroy();
      await stop();
    },
  };
}

function readListeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port) resolve(Number(port));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  await exited;
}

/** A port nothing listens on right now (also what a stopped server looks like). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
