import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';

import { REPO_ROOT, tempDir } from './action.js';

/** Azurite's published development account: not a secret, the same on every machine. */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  accountUrl: string;
  credential: StorageSharedKeyCredential;
  /** A client for a container, created if missing. */
  container(name: string): Promise<ContainerClient>;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it; it is released before returning). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port assigned');
  return address.port;
}

/**
 * Starts Azurite's blob service on 127.0.0.1 with a throwaway data directory. The API-version
 * check is skipped because the storage SDK the artifact library uses is newer than Azurite's
 * table of versions; telemetry is off so nothing leaves the machine.
 */
export async function startAzurite(): Promise<Azurite> {
  const location = tempDir('k98-azurite-');
  const port = await freePort();
  const binary = path.join(REPO_ROOT, 'node_modules/.bin/azurite-blob');
  const child = spawn(
    binary,
    [
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--location',
      location,
      '--silent',
      '--skipApiVersionCheck',
      '--disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const accountUrl = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(location, { recursive: true, force: true });
  };
  const container = async (name: string): Promise<ContainerClient> => {
    const client = new ContainerClient(`${accountUrl}/${name}`, credential);
    await client.createIfNotExists();
    return client;
  };

  try {
    await waitUntilReady(
      () => container('probe'),
      child,
      () => output,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { accountUrl, credential, container, stop };
}

async function waitUntilReady(
  probe: () => Promise<unknown>,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) {
      throw new Error(`Azurite exited with ${child.exitCode}: ${output()}`);
    }
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`Azurite did not start: ${String(lastError)}\n${output()}`);
}

/** Stops a child by its handle: SIGTERM, then SIGKILL if it lingers. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
