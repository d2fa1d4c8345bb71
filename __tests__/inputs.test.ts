import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { parse } from 'yaml';

import { INPUT_DEFAULTS, OUTPUT_NAMES } from '../src/inputs/definitions.js';
import { readInputs } from '../src/inputs/read.js';
import { ACTION_VERSION } from '../src/version.js';
import { REPO_ROOT, runAction, tempDir } from './helpers/action.js';

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string; post: string };
}

const actionYaml = parse(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYaml;

describe('inputs', () => {
  it('action.yml and the code agree on every input and literal default', () => {
    assert.deepEqual(Object.keys(actionYaml.inputs).sort(), Object.keys(INPUT_DEFAULTS).sort());
    for (const [name, definition] of Object.entries(actionYaml.inputs)) {
      const yamlDefault = String(definition.default ?? '');
      if (yamlDefault.includes('${{')) continue; // an expression the runner resolves
      assert.equal(yamlDefault, INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS], name);
    }
    assert.deepEqual(Object.keys(actionYaml.outputs).sort(), [...OUTPUT_NAMES].sort());
    assert.equal(actionYaml.runs.using, 'node24');
  });

  it('the version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.version, ACTION_VERSION);
  });

  const invalid: Array<[string, string, RegExp]> = [
    ['timeout-minutes', '-1', /Input 'timeout-minutes' has an invalid value '-1'.*greater than 0/],
    ['head-lines', 'ten', /Input 'head-lines' has an invalid value 'ten'.*whole number/],
    ['max-file-size', '5XB', /Input 'max-file-size' .*'5XB'.*B, KiB, MiB or GiB/],
    ['include-logs', 'yes', /Input 'include-logs' .*'yes'.*true or false/],
    ['upload', 'ftp', /Input 'upload' .*'ftp'.*artifact, s3 and http/],
    ['compression-level', '12', /Input 'compression-level'.*from 1 to 9/],
    ['redact-patterns', '([', /Input 'redact-patterns'.*not a valid regular expression/],
    // A password in a wrong URL is still a password: never echoed.
    ['http-url', 'ftp://bot:Pw-0f-bot@h/x', /Input 'http-url' .*'ftp:\/\/bot:\*\*\*@h\/x'/],
  ];
  for (const [name, value, message] of invalid) {
    it(`rejects ${name}: ${value} with a message naming it`, () => {
      assert.throws(() => readInputs((input) => (input === name ? value : undefined), {}), message);
    });
  }

  it('never shows the password of a URL it rejects', () => {
    const read = () =>
      readInputs((input) => (input === 'http-url' ? 'ftp://bot:Pw-0f-bot@h/x' : undefined), {});
    assert.throws(read, (error: Error) => !error.message.includes('Pw-0f-bot'));
  });

  it('rejects a working directory that does not exist', () => {
    assert.throws(
      () => readInputs((input) => (input === 'working-directory' ? '/no/such/dir' : undefined), {}),
      /Input 'working-directory' has an invalid value '\/no\/such\/dir'/,
    );
  });

  it('reads sizes, fractions of minutes and directory fallbacks', () => {
    const dir = tempDir();
    const values: Record<string, string> = {
      'working-directory': dir,
      'max-file-size': '1.5KiB',
      'timeout-minutes': '0.5',
    };
    const inputs = readInputs((name) => values[name], { LOG_DIR: '/var/log/k98' });
    assert.equal(inputs.maxFileSize, 1536);
    assert.equal(inputs.timeoutMs, 30_000);
    assert.equal(inputs.logDir, '/var/log/k98');
    assert.equal(inputs.dataDir, path.join(dir, 'data'));
    assert.equal(inputs.smokeCommand, 'python scripts/smoke_imports.py');
  });

  it('fails the step before anything runs on a bad input', async () => {
    const dir = tempDir();
    const marker = path.join(dir, 'ran');
    const run = await runAction({
      cwd: dir,
      inputs: { 'head-lines': 'ten', 'smoke-command': `touch ${marker}`, upload: 'none' },
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /::error::Input 'head-lines' has an invalid value 'ten'/);
    assert.equal(run.outputs['archive-path'], undefined);
  });
});
