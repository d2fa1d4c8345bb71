import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { runAction } from './helpers/action.js';
import { extractArchive } from './helpers/archive.js';
import { makeBotTree } from './helpers/bot-tree.js';
import { isAlive, waitForFile } from './helpers/processes.js';

interface CommandsJson {
  name: string;
  exit_code: number | null;
  exit_code_meaning: string;
  outcome: string;
  duration_ms: number;
}

function commandsOf(archive: string): CommandsJson[] {
  const root = extractArchive(archive);
  return JSON.parse(readFileSync(path.join(root, 'meta/commands.json'), 'utf8')) as CommandsJson[];
}

describe('running the checks', () => {
  it('records a failing command, collects anyway and fails the step', async () => {
    const bot = makeBotTree();
    const run = await runAction({
      cwd: bot,
      inputs: {
        'working-directory': bot,
        upload: 'none',
        'smoke-command': 'echo smoke ran; exit 3',
        'test-command': '',
      },
    });
    assert.equal(run.code, 1, 'the step fails');
    assert.equal(run.outputs['smoke-outcome'], 'failure');
    assert.equal(run.outputs['tests-outcome'], 'skipped');
    assert.match(run.stdout, /::error::smoke failure \(exit 3/);

    const commands = commandsOf(run.outputs['archive-path'] as string);
    assert.equal(commands[0]?.exit_code, 3);
    assert.equal(commands[1]?.outcome, 'skipped');
    const root = extractArchive(run.outputs['archive-path'] as string);
    assert.equal(readFileSync(path.join(root, 'meta/commands/smoke.log'), 'utf8'), 'smoke ran\n');
  });

  it('does not fail the step when fail-on-command-failure is false', async () => {
    const bot = makeBotTree();
    const run = await runAction({
      cwd: bot,
      inputs: {
        'working-directory': bot,
        upload: 'none',
        'smoke-command': 'false',
        'test-command': 'true',
        'fail-on-command-failure': 'false',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['smoke-outcome'], 'failure');
    assert.equal(run.outputs['tests-outcome'], 'success');
  });

  it('kills the whole process tree on timeout, even a child that ignores SIGTERM', async () => {
    const bot = makeBotTree();
    const pidFile = path.join(bot, 'grandchild.pid');
    // The grandchild ignores SIGTERM, writes its pid, and would sleep for ten minutes.
    writeFileSync(
      path.join(bot, 'stubborn.sh'),
      `bash -c 'trap "" TERM; echo $$ > ${pidFile}; exec sleep 600' &\nsleep 600\n`,
    );
    const run = await runAction({
      cwd: bot,
      inputs: {
        'working-directory': bot,
        upload: 'none',
        'smoke-command': 'bash stubborn.sh',
        'test-command': '',
        'timeout-minutes': '0.03',
      },
    });
    const grandchild = Number(await waitForFile(pidFile));
    assert.equal(run.outputs['smoke-outcome'], 'timed-out');
    assert.equal(run.code, 1);
    assert.ok(grandchild > 0);
    assert.equal(isAlive(grandchild), false, `grandchild ${grandchild} survived`);
    const commands = commandsOf(run.outputs['archive-path'] as string);
    assert.equal(commands[0]?.outcome, 'timed-out');
  });

  it('keeps the action-only variables from the commands', async () => {
    const bot = makeBotTree();
    const run = await runAction({
      cwd: bot,
      env: {
        ACTIONS_RUNTIME_TOKEN: 'runtime-token-value',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-value',
        ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/',
        VISIBLE_TO_COMMANDS: 'yes-visible',
      },
      inputs: {
        'working-directory': bot,
        upload: 'none',
        'smoke-command': 'env | sort',
        'test-command': '',
      },
    });
    const root = extractArchive(run.outputs['archive-path'] as string);
    const printed = readFileSync(path.join(root, 'meta/commands/smoke.log'), 'utf8');
    assert.match(printed, /^VISIBLE_TO_COMMANDS=yes-visible$/m);
    for (const name of [
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_RESULTS_URL',
    ]) {
      assert.doesNotMatch(printed, new RegExp(`^${name}=`, 'm'));
    }
    assert.doesNotMatch(printed, /^INPUT_/m);
  });

  it('runs nothing with run-commands false', async () => {
    const bot = makeBotTree();
    const run = await runAction({
      cwd: bot,
      inputs: { 'working-directory': bot, upload: 'none', 'run-commands': 'false' },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['smoke-outcome'], 'skipped');
    assert.equal(run.outputs['tests-outcome'], 'skipped');
  });
});
