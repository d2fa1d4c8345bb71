import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { stageCopy } from '../src/collect/stage-file.js';
import { registerStageThread, StageThread } from '../src/collect/stage-thread.js';
import { Redactor } from '../src/redact/scrubber.js';
import { tempDir } from './helpers/action.js';
import { logLines } from './helpers/bot-tree.js';

const WORKER_ENTRY = new URL('./helpers/stage-worker-entry.mjs', import.meta.url);
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

describe('staging thread', () => {
  const threads: StageThread[] = [];
  after(() => Promise.all(threads.map((thread) => thread.close())));

  function thread(redactor: Redactor, minBytes?: number): StageThread {
    const made = StageThread.for(redactor, 6, minBytes);
    assert.ok(made, 'an entry is registered');
    threads.push(made);
    return made;
  }

  it('stages a large file gzipped, exactly as the main thread would, secrets removed', async () => {
    registerStageThread(WORKER_ENTRY);
    const dir = tempDir();
    const source = plantedLog(dir);
    const redactor = new Redactor([ENV_SECRET], [/K98-INTERNAL-\d+-\d+/]);
    const stager = thread(redactor);

    mkdirSync(path.join(dir, 'here'));
    mkdirSync(path.join(dir, 'there'));
    const maxBytes = 3 * 1024 * 1024;
    const here = await stageCopy(source, path.join(dir, 'here'), 'big.log', maxBytes, redactor, 6);
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
    registerStageThread(WORKER_ENTRY);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'small.log'), `token=${ENV_SECRET}\n`);
    const stager = thread(new Redactor([ENV_SECRET]));

    const staged = await stager.copy(path.join(dir, 'small.log'), dir, 'out.log', 1024, null);
    assert.equal(stager.copiesOnThread, 0);
    assert.equal(staged.size, `token=${ENV_SECRET}\n`.length, 'no redactor: copied as it is');
    assert.equal(staged.gzipped, undefined, 'small files are packed plain');
    assert.equal(readFileSync(path.join(dir, 'out.log'), 'utf8'), `token=${ENV_SECRET}\n`);
  });

  it("passes the thread's errors on with their code", async () => {
    registerStageThread(WORKER_ENTRY);
    const dir = tempDir();
    const stager = thread(new Redactor([]), 0);

    await assert.rejects(stager.copy(dir, dir, 'dir-copy', 1024, null), { code: 'ENOTREG' });
  });

  it('copies on the main thread when the thread cannot start', async () => {
    registerStageThread(new URL('./helpers/no-such-entry.ts', import.meta.url));
    const dir = tempDir();
    const source = plantedLog(dir);
    const stager = thread(new Redactor([ENV_SECRET]));

    const staged = await stager.copy(source, dir, 'copy.log', 64 * 1024 * 1024, null);
    assert.equal(stager.copiesOnThread, 0);
    assert.match(stager.failure ?? '', /no-such-entry/);
    assert.equal(staged.size, readFileSync(source).length);
    assert.ok(gunzipSync(readFileSync(path.join(dir, 'copy.log'))).equals(readFileSync(source)));
  });
});
