import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { registerScrubThread, ScrubThread } from '../src/collect/scrub-thread.js';
import { stageCopy } from '../src/collect/stage-file.js';
import { StreamingPacker } from '../src/pack/archive.js';
import { Redactor } from '../src/redact/scrubber.js';
import { runAction, tempDir } from './helpers/action.js';
import { extractArchive, fileSize, findInFiles, sha256File } from './helpers/archive.js';
import { COLLECT_ONLY, makeBotTree } from './helpers/bot-tree.js';

const SECRET = 'QQSECRETVALUE0123456789abcdefXYZ';
const MiB = 1024 * 1024;

interface ManifestEntry {
  path: string | null;
  sha256: string | null;
  archived_size: number;
}

/** `size` bytes of 100-byte lines, the secret starting `before` bytes ahead of each edge. */
function plantedFile(size: number, edges: number[], before: number, lineEnd = '\n'): Buffer {
  const bytes = Buffer.alloc(size, 'a');
  for (let index = 99; index < size; index += 100) bytes.write(lineEnd, index, 'latin1');
  for (const edge of edges) {
    const start = Math.max(0, Math.min(size - SECRET.length, edge - before));
    bytes.write(SECRET, start, 'latin1');
  }
  return bytes;
}

describe('scrubbing thread and staged gzip members, attacked', () => {
  it('scrubs secrets across every read, gzip and thread boundary of large files', async () => {
    const bot = makeBotTree();
    const logs = path.join(bot, 'logs');
    // Read blocks are 512 KiB, gzip blocks 1 MiB, and files of 1 MiB or more go to the thread.
    const edges = [512 * 1024, MiB, 1.5 * MiB, 2 * MiB, 3 * MiB];
    for (const before of [0, 16, SECRET.length]) {
      for (const size of [MiB - 1, MiB, MiB + 1, 3 * MiB + 7]) {
        const name = `${size}-${before}`;
        writeFileSync(path.join(logs, `lf${name}.log`), plantedFile(size, edges, before));
        writeFileSync(path.join(logs, `cr${name}.log`), plantedFile(size, edges, before, '\r'));
        writeFileSync(path.join(logs, `one${name}.log`), plantedFile(size, edges, before, 'a'));
      }
    }
    const run = await runAction({
      cwd: bot,
      env: { SOME_TOKEN: SECRET, RUNNER_DEBUG: '1' },
      inputs: {
        ...COLLECT_ONLY,
        'working-directory': bot,
        'include-logs': 'true',
        'max-file-size': '100MiB',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /::debug::\d{2} files scrubbed on the scrubbing thread/);
    const logged = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    assert.ok(!logged.join('\n').includes(SECRET), 'the secret is in the step log');

    const archive = run.outputs['archive-path'] as string;
    execFileSync('gzip', ['-t', archive]);
    const root = extractArchive(archive);
    assert.deepEqual(findInFiles(root, [SECRET]), []);
    const manifest = JSON.parse(readFileSync(path.join(root, 'meta/manifest.json'), 'utf8')) as {
      entries: ManifestEntry[];
    };
    const checked = manifest.entries.filter((entry) => entry.path && entry.sha256);
    assert.ok(checked.length > 36, `${checked.length} files checked`);
    for (const entry of checked) {
      const name = entry.path as string;
      assert.equal(sha256File(path.join(root, name)), entry.sha256, name);
      assert.equal(fileSize(path.join(root, name)), entry.archived_size, name);
    }
  });

  it(
    'stops a thread that hangs half way through a file and makes the copy here',
    { timeout: 30_000 },
    async () => {
      registerScrubThread(new URL('./helpers/scrub-worker-hangs.mjs', import.meta.url));
      const dir = tempDir();
      const source = path.join(dir, 'big.log');
      writeFileSync(source, plantedFile(4 * MiB, [MiB, 2 * MiB, 3 * MiB], 16));
      const redactor = new Redactor([SECRET]);
      const thread = ScrubThread.for(redactor, 6, undefined, 1000);
      assert.ok(thread, 'an entry is registered');
      try {
        mkdirSync(path.join(dir, 'here'));
        const here = await stageCopy(
          source,
          path.join(dir, 'here'),
          'big.log',
          64 * MiB,
          redactor,
          {
            gzipLevel: 6,
          },
        );
        const staged = await thread.copy(source, dir, 'copy.log', 64 * MiB, redactor);

        assert.equal(thread.copiesOnThread, 0);
        assert.match(thread.failure ?? '', /answered nothing for 1 s/);
        assert.deepEqual(staged, here);
        const text = gunzipSync(readFileSync(path.join(dir, 'copy.log'))).toString('latin1');
        assert.equal(text.length, staged.size);
        assert.ok(!text.includes(SECRET), 'the secret was staged');
      } finally {
        await thread.close();
      }
    },
  );
});

describe('telling a full archive disk from a full work directory', () => {
  it('marks the packer failed only when writing the archive itself failed', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.txt'), 'content\n');

    // /dev/full refuses every write with ENOSPC, as a full disk does.
    const full = new StreamingPacker(dir, '/dev/full', 6);
    full.add('a.txt');
    await assert.rejects(full.finish(), { code: 'ENOSPC' });
    assert.equal(full.failed, true);

    const fine = new StreamingPacker(dir, path.join(dir, 'ok.tar.gz'), 6);
    fine.add('a.txt');
    await fine.finish();
    assert.equal(fine.failed, false);
  });
});
