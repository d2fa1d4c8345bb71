import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { REPO_ROOT, runAction, tempDir } from './helpers/action.js';
import { makeBotTree } from './helpers/bot-tree.js';
import { moduleLog } from './helpers/module-log.js';
import { fixture } from './helpers/triage-fixtures.js';

/** Libraries only some runs need: each must be loaded only by a run that uses it. */
const OPTIONAL = [
  'fast-xml-parser',
  'tinyglobby',
  '@aws-sdk',
  '@actions/artifact',
  '@actions/github',
  '@octokit',
  'proxy-agent',
  'p-retry',
  'form-data',
  // @actions/core's, for getIDToken only (patches/@actions+core+3.0.1.patch).
  '@actions/http-client',
  'undici',
];

/** Which of `names` the loaded bundle files hold (ncc names each module's source path). */
function librariesLoaded(files: string[], names: string[]): string[] {
  const dist = path.join(REPO_ROOT, 'dist') + path.sep;
  const texts = files.filter((file) => file.startsWith(dist)).map((f) => readFileSync(f, 'utf8'));
  return names.filter((name) => texts.some((text) => text.includes(`node_modules/${name}/`)));
}

const baseInputs = (bot: string): Record<string, string> => ({
  'working-directory': bot,
  'log-dir': path.join(bot, 'logs'),
  'data-dir': path.join(bot, 'data'),
  'run-commands': 'false',
  upload: 'none',
  output: `${path.join(bot, 'out')}/`,
});

describe('what a run loads', () => {
  const bot = makeBotTree({ logLines: 200 });
  const logs = tempDir('k98-modules-');
  after(() => {
    rmSync(bot, { recursive: true, force: true });
    rmSync(logs, { recursive: true, force: true });
  });

  it('a run without reports, extra paths or uploads loads no optional library', async () => {
    const log = moduleLog(path.join(logs, 'plain'));
    const run = await runAction({ inputs: baseInputs(bot), env: log.env });
    assert.equal(run.code, 0, run.stdout + run.stderr);

    // The packer's tar is found in what was loaded: the check sees the chunks.
    assert.deepEqual(librariesLoaded(log.loaded(), ['tar']), ['tar']);
    assert.deepEqual(librariesLoaded(log.loaded(), OPTIONAL), []);
  });

  it('loads the XML parser and the glob library when a report and extra paths exist', async () => {
    mkdirSync(path.join(bot, 'reports'), { recursive: true });
    copyFileSync(fixture('junit', 'pytest-failures.xml'), path.join(bot, 'reports', 'junit.xml'));
    const log = moduleLog(path.join(logs, 'reports'));
    const run = await runAction({
      inputs: { ...baseInputs(bot), 'test-report': 'reports/*.xml', 'extra-paths': 'logs/*.jsonl' },
      env: log.env,
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);

    // The fixture's two failures and one error: the report was parsed.
    assert.equal(run.outputs['tests-failed'], '3');
    assert.deepEqual(librariesLoaded(log.loaded(), ['fast-xml-parser', 'tinyglobby']), [
      'fast-xml-parser',
      'tinyglobby',
    ]);
    assert.deepEqual(librariesLoaded(log.loaded(), ['@aws-sdk', '@actions/artifact']), []);
  });

  it('loads the S3 SDK for an S3 upload only', async () => {
    const log = moduleLog(path.join(logs, 's3'));
    const run = await runAction({
      inputs: {
        ...baseInputs(bot),
        upload: 's3',
        's3-bucket': 'diagnostics',
        's3-region': 'us-east-1',
        // Nothing listens on port 9 of loopback: the upload fails at once, after loading.
        's3-endpoint': 'http://127.0.0.1:9',
        's3-force-path-style': 'true',
        'upload-retries': '0',
      },
      env: { ...log.env, AWS_ACCESS_KEY_ID: 'test-key-id', AWS_SECRET_ACCESS_KEY: 'test-secret' },
    });
    assert.match(run.stdout, /Upload to s3 failed/);

    assert.deepEqual(librariesLoaded(log.loaded(), ['@aws-sdk']), ['@aws-sdk']);
    assert.deepEqual(librariesLoaded(log.loaded(), ['@actions/artifact', 'form-data']), []);
  });
});
