import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { stageCopy } from '../src/collect/stage-file.js';
import { Redactor } from '../src/redact/scrubber.js';
import { tempDir } from './helpers/action.js';

const MIB = 1024 * 1024;
const TOKEN = 'ghp_Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1';
const PASSWORD = 'Hunter2Secret!x';
const BEARER = 'abcDEFghi0123456789tokXYZ';

/** `size` bytes of `line` repeated, with `plants` written over it at their offsets. */
function logWith(line: string, size: number, plants: Array<[number, string]>): Buffer {
  const bytes = Buffer.from(line.repeat(Math.ceil(size / line.length)).slice(0, size), 'latin1');
  for (const [offset, text] of plants) bytes.write(text, offset, 'latin1');
  return bytes;
}

/** Copies `bytes` through stageCopy with a 2 MiB cap and returns what was staged. */
async function cutCopy(bytes: Buffer, maxBytes = 2 * MIB): Promise<string> {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'source.log'), bytes);
  const staged = await stageCopy(
    path.join(dir, 'source.log'),
    dir,
    'staged.log',
    maxBytes,
    new Redactor([]),
  );
  assert.ok(staged.truncated, 'the file is cut in the middle');
  return readFileSync(path.join(dir, 'staged.log'), 'latin1');
}

describe('cutting a file over max-file-size', () => {
  it('cuts a CR-only log at its line breaks, never through a secret', async () => {
    const line = '2026-12-03 12:00:00 INFO bot: heartbeat ok\r';
    const bytes = logWith(line, 3 * MIB, [
      [MIB - 20, ` ${TOKEN} `],
      [2 * MIB - 8, ` db password=${PASSWORD} `],
    ]);
    const staged = await cutCopy(bytes);
    assert.ok(!staged.includes('ghp_Ab1'), 'no part of the GitHub token');
    assert.ok(!staged.includes('Hunter2'), 'no part of the password');
    assert.match(staged, /\r\n\[\.\.\. k98-diagnostics: \d+ bytes cut from the middle \.\.\.\]\n/);
  });

  it('moves a cut with no line break near it off the secrets around it', async () => {
    // One long JSON line: no line break within 64 KiB of either cut.
    const record = '{"event":"sync","detail":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},';
    const bytes = logWith(record, 3 * MIB, [
      [MIB - 12, `"auth":"Bearer ${BEARER}",`],
      [2 * MIB - 10, `"password":"${PASSWORD}",`],
    ]);
    const staged = await cutCopy(bytes);
    for (const part of [BEARER.slice(0, 6), BEARER.slice(-6), 'Hunter2', 'Secret!x']) {
      assert.ok(!staged.includes(part), `${part} was staged`);
    }
  });
});
