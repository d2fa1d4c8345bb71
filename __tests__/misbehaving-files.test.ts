import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { Budget, stageEntry } from '../src/collect/stage-entry.js';
import { inspect } from '../src/collect/listing.js';
import { stageCopy } from '../src/collect/stage-file.js';
import { Redactor } from '../src/redact/scrubber.js';
import { runAction, tempDir } from './helpers/action.js';
import { extractArchive, listFiles, sha256File, tarListing } from './helpers/archive.js';
import { COLLECT_ONLY, logLines, makeBotTree } from './helpers/bot-tree.js';

interface Entry {
  path: string | null;
  source: string | null;
  link_target?: string;
  raw_name_hex?: string;
  archived_size: number | null;
  sha256: string | null;
}

function manifestOf(root: string): Entry[] {
  return JSON.parse(readFileSync(path.join(root, 'meta/manifest.json'), 'utf8')).entries;
}

describe('files that misbehave', () => {
  it('packs a consistent snapshot of a log appended to during the run', async () => {
    const bot = makeBotTree({ logLines: 200_000 });
    const log = path.join(bot, 'logs/log.txt');
    const writer = spawn('bash', ['-c', `while true; do echo appended >> ${log}; done`]);
    try {
      const run = await runAction({
        cwd: bot,
        inputs: { ...COLLECT_ONLY, 'working-directory': bot, 'include-logs': 'true' },
      });
      assert.equal(run.code, 0, run.stdout);
      const archive = run.outputs['archive-path'] as string;
      assert.ok(tarListing(archive).includes('files/logs/log.txt'));
      const root = extractArchive(archive);
      const entry = manifestOf(root).find((item) => item.path === 'files/logs/log.txt');
      assert.equal(sha256File(path.join(root, 'files/logs/log.txt')), entry?.sha256);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('records links without following them and escapes odd names', async () => {
    const bot = makeBotTree();
    const odd = path.join(bot, 'odd');
    mkdirSync(odd);
    symlinkSync('loop', path.join(odd, 'loop'));
    symlinkSync('/nonexistent/target', path.join(odd, 'broken'));
    symlinkSync('/etc', path.join(odd, 'outside'));
    writeFileSync(path.join(odd, 'plain.txt'), 'plain\n');
    writeFileSync(Buffer.from(`${bot}/logs/caf\xe9.log`, 'latin1'), logLines(5));
    const run = await runAction({
      cwd: bot,
      inputs: { ...COLLECT_ONLY, 'working-directory': bot, 'extra-paths': 'odd' },
    });
    assert.equal(run.code, 0, run.stdout);
    const archive = run.outputs['archive-path'] as string;
    const root = extractArchive(archive);
    const entries = manifestOf(root);

    const link = (name: string) => entries.find((entry) => entry.source?.endsWith(`odd/${name}`));
    assert.equal(link('loop')?.link_target, 'loop');
    assert.equal(link('broken')?.link_target, '/nonexistent/target');
    assert.equal(link('outside')?.link_target, '/etc');
    assert.equal(link('outside')?.path, null, 'a link is recorded, not read');
    assert.ok(listFiles(root).includes('files/extra/odd/plain.txt'));

    const escaped = entries.find((entry) => entry.raw_name_hex);
    assert.equal(escaped?.raw_name_hex, Buffer.from('caf\xe9.log', 'latin1').toString('hex'));
    assert.ok(listFiles(root).includes('meta/caf%E9.log.tail.txt'));
  });

  it('matches dotfiles with globs and warns about an extra path that matches nothing', async () => {
    const bot = makeBotTree();
    writeFileSync(path.join(bot, 'data/.session.json'), '{"session":"s"}\n');
    const run = await runAction({
      cwd: bot,
      inputs: {
        ...COLLECT_ONLY,
        'working-directory': bot,
        'extra-paths': 'data/*.json\nnothing/here/*.log',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    const root = extractArchive(run.outputs['archive-path'] as string);
    assert.ok(listFiles(root).includes('files/extra/data/.session.json'));
    assert.match(
      run.stdout,
      /::warning::extra-paths entry 'nothing\/here\/\*\.log' matched nothing/,
    );
    const errors = readFileSync(path.join(root, 'meta/errors.txt'), 'utf8');
    assert.match(errors, /missing: extra path nothing\/here\/\*\.log matched nothing/);
  });

  it('bundles a binary file only when named itself, and each extra file once', async () => {
    const bot = makeBotTree();
    const dumps = path.join(bot, 'dumps');
    mkdirSync(dumps);
    const secret = `ghp_${'Q7'.repeat(18)}`;
    const binary = (text: string) => Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(text)]);
    writeFileSync(path.join(dumps, 'core.bin'), binary(`token=${secret}\n`));
    writeFileSync(path.join(dumps, 'named.bin'), binary('no secret here\n'));
    writeFileSync(path.join(dumps, 'core[1].bin'), binary('named, with glob characters\n'));
    writeFileSync(path.join(dumps, 'notes.txt'), 'plain notes\n');
    const run = await runAction({
      cwd: bot,
      inputs: {
        ...COLLECT_ONLY,
        'working-directory': bot,
        'extra-paths': 'dumps\ndumps/**\ndumps/named.bin\ndumps/core[1].bin',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    const root = extractArchive(run.outputs['archive-path'] as string);
    const files = listFiles(root);

    const extras = files.filter((file) => file.startsWith('files/extra/')).sort();
    assert.deepEqual(extras, [
      'files/extra/dumps/core[1].bin',
      'files/extra/dumps/named.bin',
      'files/extra/dumps/notes.txt',
    ]);
    const records = JSON.parse(readFileSync(path.join(root, 'meta/manifest.json'), 'utf8'))
      .entries as (Entry & { left_out_reason?: string; scrubbed?: boolean })[];
    const core = records.filter((record) => record.source?.endsWith('dumps/core.bin'));
    assert.equal(core.length, 1);
    assert.match(core[0]?.left_out_reason ?? '', /binary file/);
    assert.equal(core[0]?.scrubbed, false);
    const named = records.find((record) => record.path === 'files/extra/dumps/named.bin');
    assert.equal(named?.scrubbed, false);
    for (const file of files) {
      assert.ok(!readFileSync(path.join(root, file), 'latin1').includes(secret), file);
    }
  });

  /** Lists `file`, lets `swap` change it, then stages it as a copy of the current log. */
  async function stageAfterSwap(file: string, swap: () => void) {
    const found = await inspect(Buffer.from(file), file);
    swap();
    const errors: string[] = [];
    const record = await stageEntry(
      {
        archivePath: 'files/logs/swapped.log',
        kind: 'log-current',
        source: found,
        produce: { type: 'copy', explicit: false },
      },
      {
        stagingDir: tempDir(),
        redactor: new Redactor([]),
        copyFile: stageCopy,
        maxFileSize: 1024,
        budget: new Budget(1e9),
        onError: (line) => errors.push(line),
        onStaged: (staged) => assert.fail(`${staged} should not be staged`),
      },
    );
    assert.equal(record.path, null);
    return { record, errors };
  }

  it('notes a file that vanished between listing and reading, and goes on', async () => {
    const file = path.join(tempDir(), 'vanishing.log');
    writeFileSync(file, 'here for a moment\n');
    const { record, errors } = await stageAfterSwap(file, () => rmSync(file));
    assert.equal(record.left_out_reason, 'vanished');
    assert.match(errors[0] ?? '', /^vanished: .*vanishing\.log: /);
  });

  it('follows no link and opens no FIFO put in place of a listed file', async () => {
    const dir = tempDir();
    const private_ = path.join(dir, 'private.txt');
    writeFileSync(private_, 'root:not-for-the-bundle\n');
    const linked = path.join(dir, 'linked.log');
    writeFileSync(linked, 'a log line\n');
    const link = await stageAfterSwap(linked, () => {
      rmSync(linked);
      symlinkSync(private_, linked);
    });
    assert.equal(link.record.left_out_reason, 'replaced');

    const piped = path.join(dir, 'piped.log');
    writeFileSync(piped, 'a log line\n');
    const fifo = await stageAfterSwap(piped, () => {
      rmSync(piped);
      execFileSync('mkfifo', [piped]);
    });
    assert.equal(fifo.record.left_out_reason, 'replaced');
    assert.match(fifo.errors[0] ?? '', /^replaced: .*piped\.log: .*no longer a regular file/);
  });

  it('reports an empty pytest run as no-tests, failing only with fail-on-no-tests', async () => {
    for (const failOnNoTests of ['true', 'false']) {
      const bot = makeBotTree();
      mkdirSync(path.join(bot, 'empty_tests'));
      const run = await runAction({
        cwd: bot,
        inputs: {
          'working-directory': bot,
          upload: 'none',
          'smoke-command': '',
          'test-command': '/usr/bin/python3 -m pytest empty_tests -p no:cacheprovider',
          'fail-on-no-tests': failOnNoTests,
        },
      });
      assert.equal(run.outputs['tests-outcome'], 'no-tests', run.stdout);
      assert.equal(run.code, failOnNoTests === 'true' ? 1 : 0);
      const root = extractArchive(run.outputs['archive-path'] as string);
      const commands = JSON.parse(readFileSync(path.join(root, 'meta/commands.json'), 'utf8'));
      assert.equal(commands[1].exit_code, 5);
      assert.equal(commands[1].exit_code_meaning, 'no tests collected');
    }
  });
});
