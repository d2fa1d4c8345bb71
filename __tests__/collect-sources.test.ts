import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { REPO_ROOT, runAction, runCli, tempDir } from './helpers/action.js';
import { extractArchive, listFiles } from './helpers/archive.js';
import { COLLECT_ONLY, makeBotTree } from './helpers/bot-tree.js';

describe('where files come from', () => {
  it('takes QUEUE_CACHE_FILE, absolute extras under abs/, and the service', async () => {
    const bot = makeBotTree();
    const elsewhere = tempDir();
    const queue = path.join(elsewhere, 'queue_state.json');
    writeFileSync(queue, '{"queue_message_id":42}\n');
    const outside = path.join(elsewhere, 'outside.txt');
    writeFileSync(outside, 'outside the checkout\n');
    const run = await runAction({
      cwd: bot,
      env: { QUEUE_CACHE_FILE: queue },
      inputs: {
        ...COLLECT_ONLY,
        'working-directory': bot,
        'extra-paths': outside,
        service: 'k98-bot.service',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    const root = extractArchive(run.outputs['archive-path'] as string);
    const files = listFiles(root);
    assert.ok(files.includes('files/data/queue_state.json'));
    assert.ok(!files.includes('files/data/live_queue_cache.json'), 'the variable wins');
    assert.ok(files.includes(`files/extra/abs/${outside.slice(1)}`));
    const status = readFileSync(path.join(root, 'meta/service_status.txt'), 'utf8');
    assert.match(status, /k98-bot\.service/);
  });

  it('follows a linked directory typed in extra-paths, never one a glob walks into', async () => {
    const bot = makeBotTree();
    const outside = tempDir();
    writeFileSync(path.join(outside, 'x.txt'), 'outside\n');
    mkdirSync(path.join(bot, 'real'));
    writeFileSync(path.join(bot, 'real', 'x.txt'), 'inside\n');
    symlinkSync(outside, path.join(bot, 'lnk'));
    const extras = async (entries: string) => {
      const run = await runAction({
        cwd: bot,
        inputs: { ...COLLECT_ONLY, 'working-directory': bot, 'extra-paths': entries },
      });
      assert.equal(run.code, 0, run.stdout);
      const files = listFiles(extractArchive(run.outputs['archive-path'] as string));
      return files.filter((file) => file.startsWith('files/extra/')).sort();
    };

    assert.deepEqual(await extras('*/x.txt\n**/x.txt'), ['files/extra/real/x.txt']);
    assert.deepEqual(await extras('lnk/x.txt'), ['files/extra/lnk/x.txt']);
  });

  it('reads LOG_DIR and DATA_DIR from the environment when the inputs are empty', async () => {
    const bot = makeBotTree();
    const run = await runAction({
      cwd: bot,
      env: { LOG_DIR: path.join(bot, 'logs'), DATA_DIR: path.join(bot, 'data') },
      inputs: { ...COLLECT_ONLY, 'working-directory': tempDir() },
    });
    const root = extractArchive(run.outputs['archive-path'] as string);
    assert.ok(listFiles(root).includes('files/data/LAST_SHUTDOWN_INFO.json'));
    assert.ok(listFiles(root).includes('meta/log.txt.tail.txt'));
  });

  it('the CLI collects with the runbook flags and runs no command unless given one', async () => {
    const bot = makeBotTree();
    const out = tempDir();
    const run = await runCli(
      [
        'collect',
        '-C',
        bot,
        '-o',
        `${out}/`,
        '--include-logs',
        '--max-tail',
        '5',
        '--extra',
        'data',
        'logs',
        '--redact-pattern',
        'line 2\\d\\d\\d',
        'bot\\.te[s]t',
      ],
      { cwd: bot },
    );
    assert.equal(run.code, 0, run.stderr);
    const archive = /^Archive: (\S+\.tar\.gz)$/m.exec(run.stdout)?.[1];
    if (!archive?.startsWith(out)) assert.fail(`no archive in ${out}: ${run.stdout}`);
    const root = extractArchive(archive);
    const files = listFiles(root);
    assert.ok(files.includes('files/logs/log.txt.1'));
    assert.ok(files.includes('files/extra/data/user_profiles.json'), 'named explicitly');
    // Bot files named again in --extra go in once, at their own place.
    assert.ok(files.includes('files/data/LAST_SHUTDOWN_INFO.json'));
    const twice = files.filter((file) => /^files\/extra\/(logs\/|data\/LAST_SHUTDOWN)/.test(file));
    assert.deepEqual(twice, []);
    const tail = readFileSync(path.join(root, 'meta/log.txt.tail.txt'), 'utf8');
    assert.equal(tail.split('\n').length, 6);
    // Both --redact-pattern values apply: 'line 2996' and 'bot.test' are gone.
    assert.match(tail, /^2026-11-30 21:04:\d\d,123 \[INFO\] \[REDACTED\]: \[REDACTED\]$/m);
    assert.ok(!tail.includes('bot.test') && !/line 2\d{3}/.test(tail), tail);
    const commands = JSON.parse(readFileSync(path.join(root, 'meta/commands.json'), 'utf8'));
    assert.deepEqual(
      commands.map((command: { outcome: string }) => command.outcome),
      ['skipped', 'skipped'],
    );
  });

  it('the CLI finishes its archive when its output is piped into head', async () => {
    const bot = makeBotTree();
    const out = tempDir();
    const cli = path.join(REPO_ROOT, 'dist/cli/index.js');
    const collect = `node ${cli} collect -C ${bot} -o ${out}/ --test-command 'seq 1 20000'`;
    const script = `${collect} | head -1`;
    execFileSync('bash', ['-c', script]);
    assert.equal(listFiles(out).length, 1, 'the archive was written');
  });
});
