import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { runAction, runCli, tempDir } from './helpers/action.js';
import { extractArchive } from './helpers/archive.js';
import { makeBotTree } from './helpers/bot-tree.js';
import { startHttpSink } from './helpers/http-sink.js';
import { isAlive, waitForFile } from './helpers/processes.js';

/** A test harness that ignores SIGINT, with a child that does too, both sleeping. */
function writeStubbornHarness(bot: string): { harnessPid: string; childPid: string } {
  const harnessPid = path.join(bot, 'harness.pid');
  const childPid = path.join(bot, 'child.pid');
  writeFileSync(
    path.join(bot, 'harness.sh'),
    [
      "trap 'echo harness got SIGINT' INT",
      `bash -c 'trap "" INT TERM; echo $$ > ${childPid}; sleep 600' &`,
      `echo $$ > ${harnessPid}`,
      'while true; do sleep 1; done',
      '',
    ].join('\n'),
  );
  return { harnessPid, childPid };
}

describe('cancellation', () => {
  it('on SIGINT kills the harness tree, records cancelled, still bundles', async () => {
    const bot = makeBotTree();
    const pids = writeStubbornHarness(bot);
    let harness = 0;
    let child = 0;
    const run = await runAction({
      cwd: bot,
      inputs: {
        'working-directory': bot,
        'smoke-command': 'true',
        'test-command': 'bash harness.sh',
        upload: 'none',
      },
      onStart: (action) => {
        void (async () => {
          harness = Number(await waitForFile(pids.harnessPid));
          child = Number(await waitForFile(pids.childPid));
          action.kill('SIGINT');
        })();
      },
    });

    assert.ok(harness > 0 && child > 0, 'the harness started');
    assert.equal(isAlive(harness), false, 'the harness survived');
    assert.equal(isAlive(child), false, 'the harness child survived');
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.outputs['smoke-outcome'], 'success');
    assert.equal(run.outputs['tests-outcome'], 'cancelled');
    assert.match(run.stdout, /Received SIGINT/);

    const archive = run.outputs['archive-path'] as string;
    assert.ok(existsSync(archive), 'the bundle was written');
    assert.equal(run.state['archive-path'], archive);
    assert.equal(run.state['uploads-done'], undefined, 'uploads are left to post');
    const root = extractArchive(archive);
    const commands = JSON.parse(readFileSync(path.join(root, 'meta/commands.json'), 'utf8'));
    assert.equal(commands[1].outcome, 'cancelled');
  });

  it('post uploads what a cancelled main step left to the loopback HTTP server', async () => {
    const sink = await startHttpSink({ token: 'post-step-token-123' });
    try {
      const bot = makeBotTree();
      const pids = writeStubbornHarness(bot);
      const inputs = {
        'working-directory': bot,
        'smoke-command': '',
        'test-command': 'bash harness.sh',
        upload: 'http',
        'http-url': sink.url,
        'http-token': 'post-step-token-123',
      };
      const main = await runAction({
        cwd: bot,
        inputs,
        onStart: (action) => {
          void waitForFile(pids.childPid).then(() => action.kill('SIGINT'));
        },
      });
      assert.equal(main.outputs['tests-outcome'], 'cancelled');
      assert.equal(sink.uploads.length, 0, 'main leaves the upload to post');

      const post = await runAction({ cwd: bot, inputs, state: main.state });
      assert.equal(post.code, 0, post.stdout + post.stderr);
      assert.match(post.stdout, /Post: uploading the archive the main step left/);
      assert.equal(sink.uploads.length, 1);
      assert.equal(sink.uploads[0]?.sha256, main.outputs['archive-sha256']);
    } finally {
      await sink.stop();
    }
  });

  it('post collects and uploads when main was killed before writing a bundle', async () => {
    const sink = await startHttpSink();
    try {
      const bot = makeBotTree();
      const inputs = { 'working-directory': bot, upload: 'http', 'http-url': sink.url };
      const post = await runAction({
        cwd: bot,
        inputs,
        state: { isPost: 'true', 'main-started': 'true' },
      });
      assert.equal(post.code, 0, post.stdout + post.stderr);
      assert.match(post.stdout, /left no archive; collecting one now/);
      assert.equal(sink.uploads.length, 1);
      const root = extractArchive(post.stdout.match(/Archive: (\S+\.tar\.gz)/)?.[1] as string);
      const commands = JSON.parse(readFileSync(path.join(root, 'meta/commands.json'), 'utf8'));
      assert.equal(commands[0].outcome, 'cancelled');
    } finally {
      await sink.stop();
    }
  });

  it('post sets aside the archive of a main step killed while writing it', async () => {
    const bot = makeBotTree();
    const out = tempDir();
    // Enough to pack for a second or more: the kill lands while the archive grows.
    const line = '2026-11-30 21:04:05,123 [INFO] bot.queue: processed message 1234567890\n';
    writeFileSync(path.join(bot, 'logs', 'log.txt.1'), line.repeat(3_000_000));
    const inputs = {
      'working-directory': bot,
      'run-commands': 'false',
      'include-logs': 'true',
      'max-file-size': '1GiB',
      'max-bundle-size': '1GiB',
      upload: 'none',
      output: `${out}/`,
    };
    const main = await runAction({
      cwd: bot,
      inputs,
      onStart: (action) => {
        // Once the archive's name is reserved, it is being written: its bytes come late, as
        // these lines compress to almost nothing.
        const timer = setInterval(() => {
          if (!readdirSync(out).some((name) => name.endsWith('.tar.gz'))) return;
          clearInterval(timer);
          action.kill('SIGKILL');
        }, 5);
        action.on('exit', () => clearInterval(timer));
      },
    });
    assert.equal(main.signal, 'SIGKILL', 'killed while packing');
    const reserved = main.state['archive-reserved'] ?? '';
    assert.ok(reserved.startsWith(out), JSON.stringify(main.state));
    assert.equal(main.state['archive-path'], undefined);

    const post = await runAction({ cwd: bot, inputs, state: main.state });
    assert.equal(post.code, 0, post.stdout + post.stderr);
    assert.match(post.stdout, /::warning::Post: the main step was stopped while writing .*partial/);
    assert.ok(!existsSync(reserved), 'no cut-short file under an archive name');
    assert.ok(existsSync(`${reserved}.partial`));
  });

  it('the CLI stops at once on a second Ctrl-C, leaving no archive behind', async () => {
    const bot = makeBotTree();
    const out = tempDir();
    const line = '2026-11-30 21:04:05,123 [INFO] bot.queue: processed message 1234567890\n';
    writeFileSync(path.join(bot, 'logs', 'log.txt.1'), line.repeat(3_000_000));
    const run = await runCli(
      ['collect', '-C', bot, '--include-logs', '--max-file-size', '1GiB', '-o', `${out}/`],
      {
        onStart: (cli) => {
          const timer = setInterval(() => {
            if (!readdirSync(out).some((name) => name.endsWith('.tar.gz'))) return;
            clearInterval(timer);
            cli.kill('SIGINT');
            setTimeout(() => cli.kill('SIGINT'), 200);
          }, 5);
          cli.on('exit', () => clearInterval(timer));
        },
      },
    );
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.match(
      run.stdout + run.stderr,
      /Received SIGINT again: stopping now, without an archive/,
    );
    assert.deepEqual(readdirSync(out), []);
  });

  it('the CLI still uploads after one Ctrl-C: it has no post step to leave that to', async () => {
    const sink = await startHttpSink();
    try {
      const bot = makeBotTree();
      const marker = path.join(bot, 'started');
      const run = await runCli(
        [
          'collect',
          '-C',
          bot,
          '--test-command',
          `echo started > ${marker}; sleep 60`,
          '--upload',
          '--artifact-url',
          sink.url,
        ],
        {
          cwd: bot,
          onStart: (cli) => {
            void waitForFile(marker).then(() => cli.kill('SIGINT'));
          },
        },
      );
      assert.match(run.stdout + run.stderr, /Received SIGINT: the archive is still made/);
      assert.doesNotMatch(run.stdout + run.stderr, /post step/);
      assert.equal(sink.uploads.length, 1, run.stdout + run.stderr);
    } finally {
      await sink.stop();
    }
  });

  it('post does nothing, in one line, after a main step that finished', async () => {
    const bot = makeBotTree();
    const main = await runAction({
      cwd: bot,
      inputs: { 'working-directory': bot, 'run-commands': 'false', upload: 'none' },
    });
    assert.equal(main.state['uploads-done'], 'true');
    assert.doesNotMatch(main.stdout, /asking pytest/, 'no command runs, so no report is asked');
    const post = await runAction({
      cwd: bot,
      state: main.state,
      inputs: { 'working-directory': bot, 'run-commands': 'false', upload: 'none' },
    });
    assert.equal(post.code, 0);
    assert.equal(post.stdout.trim(), 'Post: the main step finished its uploads; nothing to do.');
  });
});
