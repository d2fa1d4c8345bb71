import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { REPO_ROOT, runAction, tempDir } from './helpers/action.js';
import { startHttpSink } from './helpers/http-sink.js';

const GIB = 1024 ** 3;
const TOKEN = 'k98-memory-test-token-77d1';

/** The sha256 of `size` zero bytes, hashed a MiB at a time. */
function zerosSha256(size: number): string {
  const hash = createHash('sha256');
  const block = Buffer.alloc(1024 * 1024);
  for (let done = 0; done < size; done += block.length) hash.update(block);
  return hash.digest('hex');
}

// TODO: run this through `k98-diagnostics upload FILE` once the CLI lands on main.
describe('HTTP upload of a large file', () => {
  it('streams 1 GiB with peak memory well below the file size', async (t) => {
    const directory = tempDir('k98-big-');
    const file = path.join(directory, 'k98-diagnostics-big.tar.gz');
    // A sparse file: 1 GiB to read and send, almost nothing on disk.
    const descriptor = openSync(file, 'w');
    ftruncateSync(descriptor, GIB);
    closeSync(descriptor);
    const sink = await startHttpSink({ token: TOKEN, discard: true });

    try {
      // The uploader runs in a process of its own, so its peak memory can be measured.
      const run = await runAction({
        entry: `--import=${import.meta.resolve('tsx')}`,
        args: [path.join(REPO_ROOT, '__tests__/helpers/upload-file.ts'), file, sink.url],
        env: { ARTIFACT_UPLOAD_TOKEN: TOKEN },
        cwd: REPO_ROOT,
        measureMemory: true,
      });

      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      assert.equal(sink.uploads.length, 1);
      assert.equal(sink.uploads[0]?.size, GIB);
      assert.equal(sink.uploads[0]?.sha256, zerosSha256(GIB));
      assert.ok(!`${run.stdout}${run.stderr}`.includes(TOKEN));

      const peak = run.peakRssBytes ?? Number.NaN;
      t.diagnostic(`peak RSS of the uploading process: ${(peak / 1024 ** 2).toFixed(0)} MiB`);
      assert.ok(peak < 256 * 1024 ** 2, `peak RSS ${(peak / 1024 ** 2).toFixed(0)} MiB`);
    } finally {
      await sink.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
