import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { readInputs } from '../src/inputs/read.js';
import { Redactor } from '../src/redact/scrubber.js';
import { runAction, runCli, tempDir } from './helpers/action.js';
import { extractArchive, findInFiles, listFiles } from './helpers/archive.js';
import { COLLECT_ONLY, makeBotTree } from './helpers/bot-tree.js';

const SECRET = 'ZZSECRETVALUE0123456789abcdefXYZ';
const KEY_LINES = Array.from(
  { length: 20 },
  (_, index) =>
    `MIIEpAIBAAKCAQEA${String(index).padStart(2, '0')}qwertyUIOPasdfghJKLzxcvbnmQWERTYuiopASDFGHjk`,
);
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', ...KEY_LINES, '-----END RSA PRIVATE KEY-----'];

describe('hostile input (found by trying to break the action)', () => {
  it('never writes the archive over a collected file or any existing file', () => {
    const bot = makeBotTree();
    const read = (output: string) => () =>
      readInputs((name) => ({ 'working-directory': bot, output })[name as string], {});
    assert.throws(read('logs/new.tar.gz'), /Input 'output' .*inside .*logs, which is collected/);
    assert.throws(read('data/'), /Input 'output' .*inside .*data, which is collected/);
    assert.throws(read('logs/..new.tar.gz'), /Input 'output' .*inside .*logs, which is collected/);
    writeFileSync(path.join(bot, 'existing.tar.gz'), 'keep me');
    assert.throws(read('existing.tar.gz'), /Input 'output' .*already exists .*never overwritten/);
    assert.throws(read('/dev/null'), /Input 'output'/);
    assert.throws(read('existing.tar.gz/sub/'), /Input 'output' .*existing\.tar\.gz is a file/);
    assert.throws(read('existing.tar.gz/'), /Input 'output' .*already exists .*never overwritten/);
    symlinkSync('nowhere', path.join(bot, 'dangling.tar.gz'));
    assert.throws(read('dangling.tar.gz'), /Input 'output' .*already exists .*never overwritten/);

    // Through a link to a collected directory, written relative, absolute or as a directory.
    const alias = path.join(tempDir(), 'alias');
    symlinkSync(path.join(bot, 'logs'), alias);
    const inLogs = /Input 'output' .*inside .*logs, which is collected/;
    assert.throws(read(path.relative(bot, path.join(alias, 'bundle.log'))), inLogs);
    assert.throws(read(path.join(alias, 'bundle.log')), inLogs);
    assert.throws(read(`${alias}/`), inLogs);
    assert.throws(read(path.join(alias, 'new/sub/bundle.tar.gz')), inLogs);
    symlinkSync('data', path.join(bot, 'data-link'));
    assert.throws(
      read('data-link/new.tar.gz'),
      /Input 'output' .*inside .*data, which is collected/,
    );
  });

  it('sees through a LOG_DIR that is itself a link', () => {
    const bot = makeBotTree();
    const real = tempDir();
    symlinkSync(real, path.join(bot, 'linked-logs'));
    const read = (output: string) => () =>
      readInputs(
        (name) => ({ 'working-directory': bot, 'log-dir': 'linked-logs', output })[name as string],
        {},
      );
    assert.throws(read(path.join(real, 'x.tar.gz')), /inside .*linked-logs, which is collected/);
    assert.doesNotThrow(read('elsewhere/x.tar.gz'));
  });

  it('rejects patterns that match nothing at all and services that look like options', () => {
    const dir = tempDir();
    const read = (name: string, value: string) => () =>
      readInputs((input) => ({ 'working-directory': dir, [name]: value })[input as string], {});
    assert.throws(read('redact-patterns', 'x*'), /Input 'redact-patterns' .*empty string/);
    assert.throws(read('service', '-Hroot@127.0.0.1'), /Input 'service'/);
  });

  it('scrubs before cutting: no part of a secret survives a cut', async () => {
    const bot = makeBotTree();
    const logs = path.join(bot, 'logs');
    writeFileSync(path.join(logs, 'long.log'), `${'A'.repeat(16370)}${SECRET}\nnext line\n`);
    const filler = 'f'.repeat(99) + '\n';
    writeFileSync(
      path.join(logs, 'cut.log'),
      filler.repeat(4) + `x${SECRET}\n` + filler.repeat(20),
    );
    writeFileSync(path.join(logs, 'key.log'), ['start', ...PEM, 'end', ''].join('\n'));
    const run = await runAction({
      cwd: bot,
      env: { CUT_TOKEN: SECRET },
      inputs: {
        ...COLLECT_ONLY,
        'working-directory': bot,
        'include-logs': 'true',
        'max-file-size': '1000B',
        'head-lines': '5',
        'tail-lines': '5',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    const root = extractArchive(run.outputs['archive-path'] as string);
    const partials = [
      SECRET.slice(0, 12),
      SECRET.slice(-12),
      ...KEY_LINES.map((line) => line.slice(10, 40)),
    ];
    assert.deepEqual(findInFiles(root, partials), []);
  });

  it('scrubs names and link targets, and renames files that would share a place', async () => {
    const bot = makeBotTree();
    writeFileSync(path.join(bot, `logs/${SECRET}.log`), 'named after a secret\n');
    symlinkSync(`https://user:${SECRET}@example.invalid/x`, path.join(bot, 'logs/link.log'));
    writeFileSync(Buffer.from(`${bot}/logs/bad\xffname.log`, 'latin1'), 'raw name\n');
    writeFileSync(path.join(bot, 'logs/bad%FFname.log'), 'percent name\n');
    const run = await runAction({
      cwd: bot,
      env: { SOME_TOKEN: SECRET },
      inputs: { ...COLLECT_ONLY, 'working-directory': bot, 'include-logs': 'true' },
    });
    assert.equal(run.code, 0, run.stdout);
    const archive = run.outputs['archive-path'] as string;
    assert.ok(!execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).includes(SECRET));
    const root = extractArchive(archive);
    assert.deepEqual(findInFiles(root, [SECRET]), []);
    const files = listFiles(root);
    assert.ok(files.includes('files/logs/bad%FFname.log'));
    assert.ok(files.includes('files/logs/bad%FFname.log~2'));
    const errors = readFileSync(path.join(root, 'meta/errors.txt'), 'utf8');
    assert.match(
      errors,
      /^renamed: .*bad%FFname\.log.* stored as files\/logs\/bad%FFname\.log~2$/m,
    );
  });

  it('skips a FIFO instead of hanging on it', async () => {
    const bot = makeBotTree();
    execFileSync('mkfifo', [path.join(bot, 'data/BOT_LOCK.json'), path.join(bot, 'logs/pipe.log')]);
    const run = await runAction({
      cwd: bot,
      inputs: { ...COLLECT_ONLY, 'working-directory': bot, 'include-logs': 'true' },
    });
    assert.equal(run.code, 0, run.stdout);
    const root = extractArchive(run.outputs['archive-path'] as string);
    const errors = readFileSync(path.join(root, 'meta/errors.txt'), 'utf8');
    assert.match(errors, /left out: .*BOT_LOCK\.json: not a regular file \(other\)/);
  });

  it('gives two CLI archives made in the same second two names', async () => {
    const bot = makeBotTree();
    const out = tempDir();
    const runs = await Promise.all(
      [1, 2].map(() => runCli(['collect', '-C', bot, '-o', `${out}/`], { cwd: bot })),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.equal(listFiles(out).length, 2, listFiles(out).join(', '));
    const bad = await runCli(['collect', '--no-such-flag'], { cwd: bot });
    assert.equal(bad.code, 2);
  });

  it('never collects the archive into itself, even through a linked output directory', async () => {
    const bot = makeBotTree();
    mkdirSync(path.join(bot, 'out'));
    const link = path.join(tempDir(), 'out-link');
    symlinkSync(path.join(bot, 'out'), link);
    const run = await runCli(['collect', '-C', bot, '-o', `${link}/`, '--extra', 'out'], {
      cwd: bot,
    });
    assert.equal(run.code, 0, run.stderr);
    const archives = listFiles(path.join(bot, 'out'));
    assert.equal(archives.length, 1, archives.join(', '));
    const inside = listFiles(extractArchive(path.join(bot, 'out', archives[0] ?? '')));
    assert.deepEqual(
      inside.filter((file) => file.startsWith('files/extra/')),
      [],
    );
  });

  it('names the flag a CLI user typed, not the input behind it', async () => {
    const bot = makeBotTree();
    const tail = await runCli(['collect', '-C', bot, '--max-tail', 'lots'], { cwd: bot });
    assert.equal(tail.code, 2);
    assert.match(tail.stderr, /--max-tail has an invalid value 'lots'/);
    assert.doesNotMatch(tail.stderr, /tail-lines/);

    const noBucket = await runCli(['collect', '-C', bot, '--upload', '--upload-to', 's3'], {
      cwd: bot,
      env: { DIAGNOSTICS_S3_BUCKET: undefined },
    });
    assert.equal(noBucket.code, 2);
    assert.match(noBucket.stderr, /--s3-bucket has an invalid value '': .*set --s3-bucket or DIAG/);
    assert.equal(listFiles(bot).filter((file) => file.endsWith('.tar.gz')).length, 0);
  });

  it('a lone BEGIN line in command output does not hide the rest of the step log', async () => {
    const bot = makeBotTree();
    const run = await runAction({
      cwd: bot,
      inputs: {
        'working-directory': bot,
        upload: 'none',
        'smoke-command': "echo '-----BEGIN RSA PRIVATE KEY-----'; echo AssertionError: still shown",
        'test-command': '',
      },
    });
    assert.match(run.stdout, /^AssertionError: still shown$/m);
  });

  it('catches assignments whose names only contain the word', () => {
    const redactor = new Redactor([]);
    const text = 'db_password=dbpwSecretFFF bot_token=abc123def secret_key=k3y-value';
    assert.equal(
      redactor.scrubText(text),
      'db_password=[REDACTED] bot_token=[REDACTED] secret_key=[REDACTED]',
    );
    assert.equal(
      redactor.scrubText('{"db_password": "pw-x1", "apiToken": "tok-99"}'),
      '{"db_password": "[REDACTED]", "apiToken": "[REDACTED]"}',
    );
  });
});
