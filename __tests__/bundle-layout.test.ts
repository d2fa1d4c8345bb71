import assert from 'node:assert/strict';
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { runAction } from './helpers/action.js';
import { extractArchive, listFiles, sha256File } from './helpers/archive.js';
import { COLLECT_ONLY, logLines, makeBotTree } from './helpers/bot-tree.js';

interface Manifest {
  format_version: number;
  entries: Array<{
    path: string | null;
    kind: string;
    sha256: string | null;
    archived_size: number | null;
    left_out: boolean;
    left_out_reason?: string;
    truncated: boolean;
  }>;
}

function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(path.join(root, 'meta/manifest.json'), 'utf8')) as Manifest;
}

describe('the bundle', () => {
  it('has the contract layout, exact excerpts and state files from both places', async () => {
    const bot = makeBotTree({ logLines: 3000 });
    const run = await runAction({
      cwd: bot,
      inputs: { ...COLLECT_ONLY, 'working-directory': bot, 'head-lines': '10', 'tail-lines': '7' },
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);

    const root = extractArchive(run.outputs['archive-path'] as string);
    const files = listFiles(root);
    for (const expected of [
      'meta/env.txt',
      'meta/system_info.json',
      'meta/commands.json',
      'meta/manifest.json',
      'meta/errors.txt',
      'meta/log.txt.head.txt',
      'meta/log.txt.tail.txt',
      'meta/crash.log.tail.txt',
      'meta/telemetry_log.jsonl.head.txt',
      'files/logs/last_shutdown_info.json',
      'files/logs/heartbeat.json',
      'files/data/LAST_SHUTDOWN_INFO.json',
      'files/data/live_queue_cache.json',
      'files/data/command_cache.json',
    ]) {
      assert.ok(files.includes(expected), `${expected} missing from ${files.join(', ')}`);
    }
    assert.ok(!files.some((file) => file.includes('user_profiles')), 'private data collected');
    assert.ok(!files.includes('files/logs/log.txt.1'), 'rotated log without include-logs');

    const all = logLines(3000).split('\n').slice(0, 3000);
    const head = readFileSync(path.join(root, 'meta/log.txt.head.txt'), 'utf8');
    const tail = readFileSync(path.join(root, 'meta/log.txt.tail.txt'), 'utf8');
    assert.equal(head, `${all.slice(0, 10).join('\n')}\n`);
    assert.equal(tail, `${all.slice(-7).join('\n')}\n`);

    assert.equal(run.outputs['bundle-entries'], String(files.length));
    assert.equal(run.outputs['archive-sha256'], sha256File(run.outputs['archive-path'] as string));
  });

  it('records manifest hashes that match the extracted files', async () => {
    const bot = makeBotTree();
    const run = await runAction({
      cwd: bot,
      inputs: { ...COLLECT_ONLY, 'working-directory': bot, 'include-logs': 'true' },
    });
    const root = extractArchive(run.outputs['archive-path'] as string);
    const manifest = readManifest(root);
    assert.equal(manifest.format_version, 1);
    const kept = manifest.entries.filter((entry) => entry.path);
    assert.equal(kept.length + 1, listFiles(root).length, 'every file but the manifest listed');
    for (const entry of kept) {
      assert.equal(sha256File(path.join(root, entry.path as string)), entry.sha256, entry.path!);
    }
    assert.ok(listFiles(root).includes('files/logs/log.txt.1'));
    assert.ok(listFiles(root).includes('files/logs/log.txt.2'));
  });

  it('notes a missing DATA_DIR in errors.txt and still succeeds', async () => {
    const bot = makeBotTree({ withDataDir: false });
    const run = await runAction({
      cwd: bot,
      inputs: { ...COLLECT_ONLY, 'working-directory': bot },
    });
    assert.equal(run.code, 0, run.stderr);
    const root = extractArchive(run.outputs['archive-path'] as string);
    const errors = readFileSync(path.join(root, 'meta/errors.txt'), 'utf8');
    assert.match(errors, /^missing: DATA_DIR .*\/data does not exist$/m);
  });

  it('drops entries in the contract order under a small max-bundle-size', async () => {
    const bot = makeBotTree({ logLines: 20_000, rotated: 3 });
    // About 1 MB of current log and 200 KB for each rotated sibling and the extra file.
    for (const number of [1, 2, 3]) {
      writeFileSync(path.join(bot, `logs/log.txt.${number}`), logLines(4000));
      const when = new Date(Date.now() - number * 86_400_000);
      utimesSync(path.join(bot, `logs/log.txt.${number}`), when, when);
    }
    writeFileSync(path.join(bot, 'extra.txt'), logLines(4000));
    const run = await runAction({
      cwd: bot,
      inputs: {
        ...COLLECT_ONLY,
        'working-directory': bot,
        'include-logs': 'true',
        'extra-paths': 'extra.txt',
        'head-lines': '5',
        'tail-lines': '5',
        // Room for meta, state, excerpts, the newest rotated logs; not the whole lot.
        'max-bundle-size': '1300KiB',
      },
    });
    assert.equal(run.code, 0, run.stderr);
    const root = extractArchive(run.outputs['archive-path'] as string);
    const manifest = readManifest(root);
    const byPath = (suffix: string) =>
      manifest.entries.find((entry) => entry.kind !== 'excerpt' && entry.path?.endsWith(suffix));
    const dropped = manifest.entries.filter((entry) => entry.left_out);

    assert.ok(
      dropped.some((entry) => entry.kind === 'extra'),
      'extra paths go first',
    );
    assert.ok(byPath('files/logs/log.txt'), 'the current log is kept');
    assert.ok(byPath('files/logs/log.txt.1'), 'the newest rotated log is kept');
    assert.ok(!byPath('files/logs/log.txt.2'), 'older rotated logs are dropped');
    assert.ok(!byPath('files/logs/log.txt.3'), 'the oldest rotated log is dropped');
    for (const entry of dropped) assert.equal(entry.left_out_reason, 'over max-bundle-size');
    const errors = readFileSync(path.join(root, 'meta/errors.txt'), 'utf8');
    assert.match(errors, /left out: .*log\.txt\.3: over max-bundle-size/);
  });

  it('cuts a file over max-file-size, keeping its head and tail', async () => {
    const bot = makeBotTree({ logLines: 50_000 });
    const run = await runAction({
      cwd: bot,
      inputs: {
        ...COLLECT_ONLY,
        'working-directory': bot,
        'include-logs': 'true',
        'max-file-size': '64KiB',
      },
    });
    const root = extractArchive(run.outputs['archive-path'] as string);
    const log = readFileSync(path.join(root, 'files/logs/log.txt'), 'utf8');
    assert.ok(log.length <= 64 * 1024 + 100, `cut log is ${log.length} bytes`);
    assert.ok(log.startsWith('2026-11-30 21:04:01,123 [INFO] bot.test: line 1\n'));
    assert.ok(log.endsWith('line 50000\n'));
    assert.match(log, /bytes cut from the middle/);
    const entry = readManifest(root).entries.find((item) => item.path === 'files/logs/log.txt');
    assert.equal(entry?.truncated, true);
    rmSync(bot, { recursive: true, force: true });
  });
});
