import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { stageCopy } from '../src/collect/stage-file.js';
import { registerScrubThread, ScrubThread } from '../src/collect/scrub-thread.js';
import { Redactor } from '../src/redact/scrubber.js';
import { tempDir } from './helpers/action.js';
import { logLines } from './helpers/bot-tree.js';

const WORKER_ENTRY = new URL('./helpers/scrub-worker-entry.mjs', import.meta.url);
const ENV_SECRET = 'planted-env-secret-value-7f3a9c';
const USER_SECRET = 'K98-INTERNAL-4242-9999';
const GITHUB_TOKEN = 'ghp_PlantedThreadToken0123456789abcdefAB';

/** A log of several MiB with secrets planted at the start, around 1 MiB and at the end. */
function plantedLog(dir: string): string {
  const file = path.join(dir, 'big.log');
  const filler = logLines(40_000);
  const planted = [
    `token=${ENV_SECRET}`,
    filler.slice(0, 1024 * 1024 - 20),
    `ticket ${USER_SECRET} opened by ${GITHUB_TOKEN}`,
    filler,
    filler,
    `password: ${ENV_SECRET}`,
    '',
  ].join('\n');
  writeFileSync(file, planted);
  return file;
}

describe('scrubbing thread', () => {
  const threads: ScrubThread[] = [];
  after(() => Promise.all(threads.map((thread) => thread.close())));

  function thread(redactor: Redactor, minBytes?: number): ScrubThread {
    const made = ScrubThread.for(redactor, 6, minBytes);
    assert.ok(made, 'an entry is registered');
    threads.push(made);
    return made;
  }

  it('stages a large file gzipped, exactly as the main thread would, secrets removed', async () => {
    registerScrubThread(WORKER_ENTRY);
    const dir = tempDir();
    const source = plantedLog(dir);
    const redactor = new Redactor([ENV_SECRET], [/K98-INTERNAL-\d+-\d+/]);
    const stager = thread(redactor);

    mkdirSync(path.join(dir, 'here'));
    mkdirSync(path.join(dir, 'there'));
    const maxBytes = 3 * 1024 * 1024;
    const here = await stageCopy(source, path.join(dir, 'here'), 'big.log', maxBytes, redactor, {
      gzipLevel: 6,
    });
    const there = await stager.copy(source, path.join(dir, 'there'), 'big.log', maxBytes, redactor);

    assert.equal(stager.copiesOnThread, 1);
    assert.deepEqual(there, here);
    assert.ok(there.truncated, 'the file is over max-file-size and cut in the middle');
    assert.ok(there.redactions >= 4, `redactions: ${there.redactions}`);
    assert.equal(there.gzipped, true);
    const bytes = gunzipSync(readFileSync(path.join(dir, 'there', 'big.log')));
    assert.equal(bytes.length, there.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), there.sha256);
    const staged = bytes.toString('latin1');
    const madeHere = gunzipSync(readFileSync(path.join(dir, 'here', 'big.log')));
    assert.deepEqual(madeHere.toString('latin1'), staged);
    for (const secret of [ENV_SECRET, USER_SECRET, GITHUB_TOKEN]) {
      assert.ok(!staged.includes(secret), `${secret} was staged`);
    }
  });

  it('copies small files on the main thread', async () => {
    registerScrubThread(WORKER_ENTRY);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'small.log'), `token=${ENV_SECRET}\n`);
    const stager = thread(new Redactor([ENV_SECRET]));

    const staged = await stager.copy(path.join(dir, 'small.log'), dir, 'out.log', 1024, null);
    assert.equal(stager.copiesOnThread, 0);
    assert.equal(staged.size, `token=${ENV_SECRET}\n`.length, 'no redactor: copied as it is');
    assert.equal(staged.gzipped, undefined, 'small files are packed plain');
    assert.equal(readFileSync(path.join(dir, 'out.log'), 'utf8'), `token=${ENV_SECRET}\n`);
  });

  it('a file that cannot be copied fails with its code', async () => {
    registerScrubThread(WORKER_ENTRY);
    const dir = tempDir();
    const stager = thread(new Redactor([]), 0);

    await assert.rejects(stager.copy(dir, dir, 'dir-copy', 1024, new Redactor([])), {
      code: 'ENOTREG',
    });
  });

  it('scrubs on the main thread when the thread cannot start', async () => {
    registerScrubThread(new URL('./helpers/no-such-entry.ts', import.meta.url));
    const dir = tempDir();
    const source = plantedLog(dir);
    const stager = thread(new Redactor([ENV_SECRET]));

    const staged = await stager.copy(source, dir, 'copy.log', 64 * 1024 * 1024, redactorOf());
    assert.equal(stager.copiesOnThread, 0);
    assert.match(stager.failure ?? '', /no-such-entry/);
    assertScrubbed(gunzipSync(readFileSync(path.join(dir, 'copy.log'))), staged.size);
  });

  it('makes the copy again here when the thread dies half way through a file', async () => {
    registerScrubThread(new URL('./helpers/scrub-worker-dies.mjs', import.meta.url));
    const dir = tempDir();
    const source = plantedLog(dir);
    const stager = thread(new Redactor([ENV_SECRET]));

    const staged = await stager.copy(source, dir, 'copy.log', 64 * 1024 * 1024, redactorOf());
    assert.equal(stager.copiesOnThread, 0);
    assert.match(stager.failure ?? '', /exited with code 3/);
    assert.ok(staged.redactions >= 4, `redactions: ${staged.redactions}`);
    assertScrubbed(gunzipSync(readFileSync(path.join(dir, 'copy.log'))), staged.size);
  });
});

function redactorOf(): Redactor {
  return new Redactor([ENV_SECRET], [/K98-INTERNAL-\d+-\d+/]);
}

function assertScrubbed(bytes: Buffer, size: number): void {
  assert.equal(bytes.length, size);
  const text = bytes.toString('latin1');
  for (const secret of [ENV_SECRET, USER_SECRET, GITHUB_TOKEN]) {
    assert.ok(!text.includes(secret), `${secret} was staged`);
  }
  assert.ok(text.includes('[REDACTED]'));
}
