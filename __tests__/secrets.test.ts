import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { runAction } from './helpers/action.js';
import { extractArchive, findInFiles, listFiles } from './helpers/archive.js';
import { makeBotTree } from './helpers/bot-tree.js';

const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAt3b0gusPlantedPemKeyLineOneAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'Zm9vYmFyYmF6cXV4PlantedPemKeyLineTwoBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

/** Secrets planted in the environment: every value must vanish from the bundle and logs. */
const PLANTED_ENV: Record<string, string> = {
  DISCORD_TOKEN: 'MTA5ODc2NTQzMjEwOTg3NjU0.GabcDE.planted-discord-token-value-0123456789',
  MY_API_KEY: 'planted api key with spaces 12345',
  DB_PASSWORD: 'hunter2-planted-password',
  SIGNING_PRIVATE_KEY: PEM,
  DATABASE_URL: 'postgres://k98:url-planted-pw@db.internal:5432/k98',
  CUSTOM_THING: 'custom-named-secret-value',
};

const SHAPES = {
  github: 'ghp_PlantedGithubToken0123456789abcdefABCD',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlLXBsYW50ZWQ',
  awsId: 'AKIAPLANTEDKEY123456',
  bearer: 'planted-bearer-credential-xyz',
};

describe('secrets never leave the runner', () => {
  it('removes planted values from every extracted file and from the step log', async () => {
    const bot = makeBotTree();
    const logs = path.join(bot, 'logs');
    writeFileSync(
      path.join(logs, 'telemetry_log.jsonl'),
      `{"event":"login","token":"${PLANTED_ENV.DISCORD_TOKEN}","password":"json-planted-pw"}\n`,
    );
    writeFileSync(
      path.join(logs, 'error_log.txt'),
      [
        `2026-11-30 21:04:05,123 [ERROR] http: Authorization: Bearer ${SHAPES.bearer}`,
        `2026-11-30 21:04:05,124 [ERROR] gh: using ${SHAPES.github} and ${SHAPES.awsId}`,
        `2026-11-30 21:04:05,125 [ERROR] auth: jwt=${SHAPES.jwt}`,
        `2026-11-30 21:04:05,126 [ERROR] db: ${PLANTED_ENV.DATABASE_URL}`,
        PEM,
        '',
      ].join('\n'),
    );
    // A big log with the same value straddling the 64 KiB and 1 MiB read boundaries.
    const token = PLANTED_ENV.DISCORD_TOKEN as string;
    const filler = (length: number) => `${'f'.repeat(length - 1)}\n`;
    const second = 1024 * 1024 - 12;
    const bigLog = filler(65536 - 10) + token + filler(second - (65536 - 10) - token.length);
    assert.equal(bigLog.length, second);
    writeFileSync(path.join(logs, 'big.log'), `${bigLog}${token}\n`);
    const run = await runAction({
      cwd: bot,
      env: { ...PLANTED_ENV, XDG_SESSION_ID: '3' },
      inputs: {
        'working-directory': bot,
        upload: 'none',
        'include-logs': 'true',
        'redact-env-names': 'CUSTOM_THING',
        'smoke-command': 'echo "key is $MY_API_KEY"; echo "$SIGNING_PRIVATE_KEY"',
        'test-command': `echo "Authorization: Bearer ${SHAPES.bearer}"`,
      },
    });
    assert.equal(run.code, 0, run.stdout);

    const root = extractArchive(run.outputs['archive-path'] as string);
    const needles = [
      ...Object.values(PLANTED_ENV),
      ...PEM.split('\n').slice(1, 3),
      'url-planted-pw',
      'json-planted-pw',
      ...Object.values(SHAPES),
    ];
    assert.deepEqual(findInFiles(root, needles), []);
    // The step log: every planted value is registered with the runner before any output, and
    // apart from those registrations no secret is printed (command output is scrubbed too).
    const stepLog = run.stdout + run.stderr;
    const firstOutput = stepLog.indexOf('::group::');
    for (const value of Object.values(PLANTED_ENV)) {
      const registered = stepLog.indexOf(`::add-mask::${value.split('\n')[0]}`);
      assert.ok(registered >= 0 && registered < firstOutput, `${value.slice(0, 12)} not masked`);
    }
    const printed = stepLog
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    for (const needle of needles) {
      assert.ok(!printed.includes(needle), `${needle.slice(0, 12)}… printed in the step log`);
    }

    const env = readFileSync(path.join(root, 'meta/env.txt'), 'utf8');
    assert.match(env, /^DB_PASSWORD=\[REDACTED\]$/m);
    assert.match(env, /^XDG_SESSION_ID=\[REDACTED\]$/m);
    const smokeLog = readFileSync(path.join(root, 'meta/commands/smoke.log'), 'utf8');
    assert.match(smokeLog, /^key is \[REDACTED\]$/m);
    // A short value like XDG_SESSION_ID=3 is not scrubbed from ordinary text.
    const log = readFileSync(path.join(root, 'meta/log.txt.tail.txt'), 'utf8');
    assert.match(log, /line 1003\n/);

    const manifest = JSON.parse(readFileSync(path.join(root, 'meta/manifest.json'), 'utf8'));
    const errorLog = manifest.entries.find(
      (entry: { path: string }) => entry.path === 'files/logs/error_log.txt',
    );
    assert.ok(errorLog.redactions >= 5, `redactions: ${errorLog.redactions}`);
  });
});

describe('secrets a break-in attempt got past', () => {
  it('are gone from files, names, manifest, triage, outputs and the step log', async () => {
    const bot = makeBotTree();
    const logs = path.join(bot, 'logs');
    const token = 'ghp_SecondPlantedGithubToken0123456789abcd';
    const inName = 'ghp_NamePlantedGithubToken0123456789abcdef';
    const inCrash = 'ghp_CrashPlantedGithubToken0123456789abcde';
    const webhook =
      'https://discord.com/api/webhooks/123456789012345678/PlantedWebhook_abcdefghijklmnopqrstuvw';
    const env = {
      REDIS_URL: 'redis://:env-redis-pw@cache:6379',
      MYSQL_PWD: 'env-mysql-pw-123',
      DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/EnvWebhookSecret0123456789abcd',
      SENTRY_DSN: 'https://plantedsentrykey@o1.ingest.sentry.io/1',
      AZURE_STORAGE_CONNECTION_STRING: 'AccountName=x;AccountKey=EnvAzureKey0123456789==;',
      SHUTDOWN_TOKEN: 'EnvSecretValue_abcdefghijklmnopqrstuvwxyz',
    };
    writeFileSync(
      path.join(logs, 'log.txt'),
      [
        '{"msg": "body {\\"password\\": \\"json-in-json-pw\\"}"}',
        `{"msg": "retrying\\n${token}"}`,
        'cache redis://:empty-user-pw@cache:6379/0',
        'password = "two planted words"',
        'AccountKey=PlantedAzureKey0123456789+/==;EndpointSuffix=core.windows.net',
        'Cookie: session=planted-cookie-value; theme=dark',
        `posting to ${webhook}`,
        'MYSQL_PWD=planted-mysql-pw PWD=/srv/k98',
        '-----BEGIN PGP PRIVATE KEY BLOCK-----',
        'Version: GnuPG v2',
        '',
        'lQOYBFPlantedPgpKeyBody0123456789abcdefABCDEF',
        '=PgpX',
        '-----END PGP PRIVATE KEY BLOCK-----',
        '',
      ].join('\n'),
    );
    // A name that is not UTF-8: escaped, `%FF` runs into the token; its raw hex is the token.
    const oddName = Buffer.concat([Buffer.from([0xff]), Buffer.from(`${inName}.log`)]);
    writeFileSync(Buffer.concat([Buffer.from(`${logs}/`), oddName]), 'named after a token\n');
    // Cut to 2000 characters (the exception) and 120 (a shutdown field) after scrubbing.
    const traceback = [
      '2026-11-30 21:04:05,123 [ERROR] bot.runner: crashed',
      'Traceback (most recent call last):',
      '  File "bot/runner.py", line 3, in main',
      `RuntimeError: bad token ${'w'.repeat(1960)} ${inCrash}`,
      '',
    ];
    writeFileSync(path.join(logs, 'crash.log'), traceback.join('\n'));
    const reason = `${'z'.repeat(100)} ${env.SHUTDOWN_TOKEN}`;
    writeFileSync(path.join(bot, 'data', 'LAST_SHUTDOWN_INFO.json'), JSON.stringify({ reason }));

    const run = await runAction({
      cwd: bot,
      env,
      inputs: { 'working-directory': bot, 'run-commands': 'false', 'include-logs': 'true' },
    });
    assert.equal(run.code, 0, run.stdout);

    const root = extractArchive(run.outputs['archive-path'] as string);
    const needles = [
      'json-in-json-pw',
      token.slice(0, 15),
      'empty-user-pw',
      'planted words',
      'PlantedAzureKey',
      'planted-cookie-value',
      'PlantedWebhook_',
      'planted-mysql-pw',
      'PlantedPgpKeyBody',
      inName.slice(0, 15),
      inCrash.slice(0, 15),
      'env-redis-pw',
      'env-mysql-pw',
      'EnvWebhookSecret',
      'plantedsentrykey',
      'EnvAzureKey',
      env.SHUTDOWN_TOKEN.slice(0, 15),
    ];
    assert.deepEqual(findInFiles(root, needles), []);
    const names = listFiles(root).join('\n');
    assert.ok(!names.includes('ghp_'), names);
    const manifest = readFileSync(path.join(root, 'meta/manifest.json'), 'utf8');
    assert.ok(!manifest.includes(Buffer.from(inName).toString('hex').slice(0, 24)), 'raw hex');
    // Registering a value with the runner (::add-mask::) is how it gets hidden, not a leak.
    const stepLog = (run.stdout + run.stderr)
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'));
    const shown = [...stepLog, run.summary, JSON.stringify(run.outputs)].join('\n');
    for (const needle of needles) assert.ok(!shown.includes(needle), `${needle} was shown`);
    assert.match(readFileSync(path.join(root, 'meta/log.txt.tail.txt'), 'utf8'), /PWD=\/srv\/k98/);
  });
});
