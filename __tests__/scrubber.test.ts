import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';

import { REDACTED } from '../src/redact/patterns.js';
import { Redactor, SCRUB_OVERLAP, WINDOW_STEP } from '../src/redact/scrubber.js';
import { LiveLineScrubber } from '../src/redact/live-lines.js';
import { isScrubbableValue, secretValues } from '../src/redact/secrets.js';

/** Streams `text` through the redactor in chunks of `chunkSize` bytes. */
async function scrubInChunks(redactor: Redactor, text: Buffer, chunkSize: number) {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < text.length; offset += chunkSize) {
    chunks.push(text.subarray(offset, offset + chunkSize));
  }
  const counter = { redactions: 0 };
  const output = await buffer(Readable.from(chunks).pipe(redactor.stream(counter)));
  return { output, count: counter.redactions };
}

describe('the scrubber', () => {
  it('catches a secret that straddles a 64 KiB chunk boundary', async () => {
    const secret = 'straddling-secret-value-0123456789';
    const filler = 'x'.repeat(64 * 1024 - 10);
    const text = Buffer.from(`${filler}${secret} and more\n`.repeat(3));
    const { output, count } = await scrubInChunks(new Redactor([secret]), text, 64 * 1024);
    assert.equal(output.includes(Buffer.from(secret)), false);
    assert.equal(count, 3);
    assert.equal(output.toString().split('[REDACTED]').length, 4);
  });

  it('catches secrets across the steps a large chunk is scrubbed in', async () => {
    const secret = 'stepping-secret-value-0123456789';
    const chunkSize = 1024 * 1024;
    // One chunk, with the secret across each step boundary inside it.
    let text = '';
    let planted = 0;
    for (let boundary = WINDOW_STEP; boundary < chunkSize; boundary += WINDOW_STEP) {
      text += `${'x'.repeat(boundary - 10 - text.length)}${secret}`;
      planted++;
    }
    text = text.padEnd(chunkSize, 'y');
    const bytes = Buffer.from(text, 'latin1');
    const { output, count } = await scrubInChunks(new Redactor([secret]), bytes, chunkSize);
    assert.ok(planted >= 5);
    assert.equal(count, planted);
    assert.equal(output.toString('latin1'), text.replaceAll(secret, REDACTED));
  });

  it('catches a PEM key cut across chunks and keeps invalid UTF-8 bytes as they are', async () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(400)}\n-----END PRIVATE KEY-----`;
    const text = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x0d, 0x0a]),
      Buffer.from(`${'y'.repeat(1000)}${pem}\r\n`),
      Buffer.from([0xc3, 0x28]),
    ]);
    const { output } = await scrubInChunks(new Redactor([]), text, 1024);
    assert.equal(output.includes(Buffer.from('QUJDQUJD')), false);
    assert.deepEqual([...output.subarray(0, 4)], [0xff, 0xfe, 0x0d, 0x0a]);
    assert.match(output.toString('latin1'), /y\[REDACTED\]\r\n/);
    assert.ok(output.subarray(-2).equals(Buffer.from([0xc3, 0x28])));
  });

  it('redacts credential shapes but keeps the words around them', () => {
    const redactor = new Redactor([]);
    assert.equal(
      redactor.scrubText('Authorization: Bearer abcdefgh12345678'),
      'Authorization: Bearer [REDACTED]',
    );
    assert.equal(
      redactor.scrubText('{"user":"k98","password":"p4ssw0rd-x"}'),
      '{"user":"k98","password":"[REDACTED]"}',
    );
    assert.equal(
      redactor.scrubText('redis://bot:s3cr3t-pw@cache:6379/0'),
      'redis://bot:[REDACTED]@cache:6379/0',
    );
    assert.equal(
      redactor.scrubText('retries=3 token: 5 PWD=/srv/k98'),
      'retries=3 token: 5 PWD=/srv/k98',
    );
  });

  it('redacts lone key lines with any line ending, and only lines shaped like them', () => {
    const key = 'MIIEowIBAAKCAQEAt3b0gusPlantedKeyLine0123456789abcdefABCDEF+/xyzw';
    const redactor = new Redactor([]);
    const lines = [key, `${key}==`, key.slice(0, 60)];
    for (const ending of ['\n', '\r\n', '\r']) {
      const text = `start\n${lines.join(ending)}${ending}end`;
      const scrubbed = redactor.scrubText(text);
      assert.ok(!scrubbed.includes(key.slice(0, 60)), JSON.stringify(ending));
      assert.equal(scrubbed.split(REDACTED).length, 4, JSON.stringify(ending));
      assert.ok(scrubbed.startsWith('start') && scrubbed.endsWith('end'));
    }
    // First and last line of a window, with no line break around them.
    assert.equal(redactor.scrubText(key), REDACTED);
    // Not key lines: too short, one case only, a space inside, too long.
    const lookalikes = [
      key.slice(0, 59),
      key.toLowerCase().replace(/[^a-z0-9]/g, 'a'),
      `${key.slice(0, 30)} ${key.slice(30)}`,
      `${key}${key}`,
    ];
    for (const line of lookalikes) assert.equal(redactor.scrubText(`x\n${line}\n`), `x\n${line}\n`);
  });

  it('applies user patterns', () => {
    const redactor = new Redactor([], [/member-\d{6}/g]);
    assert.equal(redactor.scrubText('seen member-123456 today'), 'seen [REDACTED] today');
  });

  it('scrubs multi-line and spaced values, not short or numeric ones', () => {
    const values = secretValues({
      MULTI_SECRET: 'line one of the key\nline two of the key',
      SPACED_TOKEN: 'a token with spaces',
      XDG_SESSION_ID: '3',
      PORT_KEY: '12345678',
      HOME: '/root',
    });
    assert.ok(values.includes('line one of the key\nline two of the key'));
    assert.ok(values.includes('line two of the key'));
    assert.ok(values.includes('a token with spaces'));
    assert.equal(values.includes('3'), false);
    assert.equal(values.includes('12345678'), false);
    assert.equal(isScrubbableValue('true'), false);
    assert.equal(
      values.some((value) => value === '/root'),
      false,
    );
  });

  it('keeps its overlap above the size of a 4096-bit private key', () => {
    assert.ok(SCRUB_OVERLAP >= 4 * 1024);
  });
});

describe('the live scrubber of command output', () => {
  it('lets out a line too long to hold without losing a secret cut between two writes', () => {
    const envSecret = 'EnvSecretValue_abcdefghijklmnopqrstuvwxyz';
    const token = `ghp_${'Zx9Yw8Vu7Ts6'.repeat(3)}`;
    const written: Buffer[] = [];
    const live = new LiveLineScrubber(new Redactor([envSecret]), (text) => written.push(text));

    const filler = 'x'.repeat(65_530);
    live.push(Buffer.from(`${filler} ${token.slice(0, 9)}`));
    live.push(Buffer.from(`${token.slice(9)} and ${envSecret.slice(0, 20)}`));
    live.push(Buffer.from(`${envSecret.slice(20)} end\nnext line ${token}\n`));
    live.flush();

    const out = Buffer.concat(written).toString('latin1');
    assert.ok(!out.includes(token.slice(0, 12)) && !out.includes(token.slice(-12)), 'token');
    assert.ok(!out.includes(envSecret.slice(0, 12)) && !out.includes(envSecret.slice(-12)));
    assert.equal(out, `${filler} ${REDACTED} and ${REDACTED} end\nnext line ${REDACTED}\n`);
  });
});

describe('assignments the scrubber must read right', () => {
  it('redacts `=>` assignments and leaves `==` comparisons, and long names keep working', () => {
    const redactor = new Redactor([]);
    assert.equal(redactor.scrubText('token => abcdefghijkl'), `token => ${REDACTED}`);
    assert.equal(
      redactor.scrubText('if password == confirm_password:'),
      'if password == confirm_password:',
    );
    assert.equal(
      redactor.scrubText('db_password_for_the_reporting_replica=s3cr3t-value'),
      `db_password_for_the_reporting_replica=${REDACTED}`,
    );
    // Word runs that repeat the names hold no assignment: left as they are.
    const run = 'tokentokentoken'.repeat(2000);
    assert.equal(redactor.scrubText(run), run);
  });

  it('redacts a PGP key after several header lines, and leaves BEGIN lines without END', () => {
    const redactor = new Redactor([]);
    const key = [
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
      'Version: GnuPG v2',
      'Comment: planted',
      '',
      'lQOYBFPlantedPgpKeyBody0123456789abcdefABCDEF',
      '=PgpX',
      '-----END PGP PRIVATE KEY BLOCK-----',
    ].join('\n');
    assert.equal(redactor.scrubText(`before\n${key}\nafter`), `before\n${REDACTED}\nafter`);
    const dangling = '-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: x'.repeat(500);
    assert.equal(redactor.scrubText(dangling), dangling);
  });
});
