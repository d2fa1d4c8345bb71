import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';

import { readHead } from '../src/collect/excerpt.js';
import { REDACTED } from '../src/redact/patterns.js';
import { Redactor } from '../src/redact/scrubber.js';
import { tempDir } from './helpers/action.js';

// Fixed key text generated once with `openssl genpkey -algorithm RSA -pkeyopt
// rsa_keygen_bits:2048` (the first and the last lines of its body) and with `openssl ecparam
// -genkey -name prime256v1 | openssl ec -aes128 -passout pass:x` (the whole encrypted key).
const RSA_HEAD = [
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Lo0nxJ7XoLgt',
  '44jqUfoNLEqHqR/cdob9BBMHwr5ecugyKXtx8syOd25oRpscJSyf6g26QQob0Hz3',
  '81sO63f4534ku1e7/n2715Wm2krViY9JJteKWsurCEka0Ej0HZTyF7Cbk0ervShU',
];
const RSA_TAIL = [
  'k0ofo0QosLqYNFV8dXVZQCmi2CVUiT10O/d2EWKxAoGADfZJigQa38Kiy7KQ2HCO',
  '2DpMczOf1/iJwvuJdG0UXaLTJ5hL+0JQymYd9Z/R1JiAXR3miUbWNS7k5RJmlaGS',
  'DxfFvd51bNY9NURPQlyc4ukg7I7Kn63RXDr2h9Mz052UfjJlEfKqB22LEtFT1xEu',
  'MzzHiHVYLt63S4EoE5TE8xI=',
];
const RSA_END = '-----END PRIVATE KEY-----';
const EC_ENCRYPTED = [
  '-----BEGIN EC PRIVATE KEY-----',
  'Proc-Type: 4,ENCRYPTED',
  'DEK-Info: AES-128-CBC,45CA323AA159335D23DBAB20DF4982E5',
  '',
  'fy9Xw/o7RskU+OgHriOnQrqWMpJGqChPYn20luQ5l4Xcq7Wcn9wdQXIr1Uu3Aqpo',
  'q221flpvlEzoWA35136XhvBbCiRfG6mT5yN2fk6SWYUj07RigYCT0tp/azM4KWZw',
  'hKwzZQQ5PW75RzmUr5nSljatFQbFU5/WwBpX1ng+BBE=',
  '-----END EC PRIVATE KEY-----',
];
const EC_BODY = EC_ENCRYPTED.slice(4, 7);
const LOG =
  '2026-11-03 14:13:14,925 [INFO] bot.commands.stats: ' +
  'GET /api/v10/channels/100119805183168500/messages 200 (1893.6 ms)';

/** Body lines of which any 12 characters are still in `text`. */
function leaked(text: string, body: string[]): string[] {
  return body.filter((line) => {
    for (let at = 0; at + 12 <= line.length; at++) {
      if (text.includes(line.slice(at, at + 12))) return true;
    }
    return false;
  });
}

describe('private key lines outside a whole key block', () => {
  it('redacts the short last line of a key, in an excerpt that starts inside the key', () => {
    const redactor = new Redactor([]);
    for (const ending of ['\n', '\r\n', '\r']) {
      const text = [...RSA_TAIL, RSA_END, LOG, ''].join(ending);
      const scrubbed = redactor.scrubLatin1(text);
      const expected = [...RSA_TAIL.map(() => REDACTED), RSA_END, LOG, ''].join(ending);
      assert.equal(scrubbed.text, expected, JSON.stringify(ending));
      assert.equal(scrubbed.count, RSA_TAIL.length);
    }
    // The excerpt starts at the last line itself.
    assert.equal(redactor.scrubText(`${RSA_TAIL[3]}\n${RSA_END}`), `${REDACTED}\n${RSA_END}`);
  });

  it('redacts the short last line of a key in a head excerpt that ends on it', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'log.txt');
    const lines = ['starting', '-----BEGIN PRIVATE KEY-----', ...RSA_TAIL, RSA_END, 'done'];
    writeFileSync(log, `${lines.join('\n')}\n`);

    const upToLast = await readHead(log, 6, 1024 * 1024);
    const shown = new Redactor([]).scrubText(upToLast.bytes.toString('latin1'));
    assert.ok(!shown.includes('MzzHiHVYLt63'), shown);
    assert.equal(shown.split('\n').length, 7);
    // Not cut there, the END line tells, and an ordinary last line is left alone.
    const whole = await readHead(log, 7, 1024 * 1024);
    assert.ok(!new Redactor([]).scrubText(whole.bytes.toString('latin1')).includes('MzzH'));
    assert.equal((await readHead(log, 1, 1024)).bytes.toString(), 'starting\n');
  });

  it('removes a whole encrypted key, Proc-Type and DEK-Info headers included', () => {
    const redactor = new Redactor([]);
    const log = [LOG, ...EC_ENCRYPTED, LOG, ''].join('\n');
    assert.deepEqual(redactor.scrubLatin1(log), {
      text: `${LOG}\n${REDACTED}\n${LOG}\n`,
      count: 1,
    });

    // The same key printed as a JSON string: one line, its breaks escaped.
    const json = JSON.stringify({ key: `${EC_ENCRYPTED.join('\n')}\n` });
    assert.equal(redactor.scrubText(json), `{"key":"${REDACTED}\\n"}`);

    // Cut before its BEGIN line: the headers stay (they hold no secret), the body goes.
    const cut = redactor.scrubText([LOG, ...EC_ENCRYPTED.slice(1)].join('\n'));
    assert.deepEqual(leaked(cut, EC_BODY), []);
    assert.ok(
      cut.includes('DEK-Info: AES-128-CBC') && cut.endsWith('-----END EC PRIVATE KEY-----'),
    );
  });

  it('redacts indented key lines (a YAML block cut short) and keeps the indentation', () => {
    const redactor = new Redactor([]);
    const indent = (line: string) => `    ${line}`;
    const head = ['tls:', '  key: |', indent('-----BEGIN PRIVATE KEY-----'), ...RSA_HEAD];
    const headCut = [...head.slice(0, 3), ...RSA_HEAD.map(indent)].join('\n');
    assert.equal(
      redactor.scrubText(headCut),
      [...head.slice(0, 3), ...RSA_HEAD.map(() => indent(REDACTED))].join('\n'),
    );

    const tailCut = [...RSA_TAIL.map(indent), indent(RSA_END), '  cert: |', ''].join('\n');
    assert.equal(
      redactor.scrubText(tailCut),
      [...RSA_TAIL.map(() => indent(REDACTED)), indent(RSA_END), '  cert: |', ''].join('\n'),
    );
    assert.equal(
      redactor.scrubText(`\t${RSA_TAIL[3]}\n\t${RSA_END}`),
      `\t${REDACTED}\n\t${RSA_END}`,
    );
  });

  it('redacts key lines followed by spaces or tabs', () => {
    const redactor = new Redactor([]);
    const trails = [' ', '\t', ' \t '];
    const text = [...RSA_HEAD.map((line, index) => `${line}${trails[index]}`), LOG].join('\r\n');
    const expected = [...trails.map((trail) => `${REDACTED}${trail}`), LOG].join('\r\n');
    assert.equal(redactor.scrubText(text), expected);
    assert.equal(
      redactor.scrubText(`${RSA_TAIL[3]}  \n${RSA_END} \n`),
      `${REDACTED}  \n${RSA_END} \n`,
    );
  });

  it('keeps ordinary lines that only look like key lines', () => {
    const redactor = new Redactor([]);
    const last = RSA_TAIL[3] as string;
    const lookalikes = [
      // Short base64 not followed by an END line, or followed by a certificate's END line.
      `${last}\n${LOG}\n`,
      `  ${last}\n\n${RSA_END}\n`,
      `${last}\n-----END CERTIFICATE-----\n`,
      `${last} ${last}\n${RSA_END}\n`,
      // Log lines with trailing spaces, indented or not.
      `${LOG} \n${LOG}\t\n    ${LOG}  \n`,
      `    ${(RSA_HEAD[0] as string).slice(0, 59)} \n`,
      `    ${(RSA_HEAD[0] as string).slice(0, 30)} ${(RSA_HEAD[0] as string).slice(30)}\n`,
    ];
    for (const text of lookalikes) assert.equal(redactor.scrubText(text), text);
  });

  it('never cuts a stream between a key line and the END line after it', async () => {
    const redactor = new Redactor([]);
    const filler = `${LOG}\n`.repeat(20);
    const yaml = [...RSA_TAIL.map((line) => `    ${line} `), `    ${RSA_END}`].join('\n');
    const text = `${filler}${RSA_TAIL.join('\r\n')}\r\n${RSA_END}\n${filler}${yaml}\n${filler}`;
    const whole = redactor.scrubText(text);
    assert.deepEqual(leaked(whole, RSA_TAIL), []);
    for (let chunkSize = 7; chunkSize < 300; chunkSize += 13) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < text.length; at += chunkSize) {
        chunks.push(Buffer.from(text.slice(at, at + chunkSize), 'latin1'));
      }
      const counter = { redactions: 0 };
      const output = await buffer(Readable.from(chunks).pipe(redactor.stream(counter, 200)));
      assert.equal(output.toString('latin1'), whole, `chunks of ${chunkSize}`);
      assert.equal(counter.redactions, 2 * RSA_TAIL.length);
    }
  });
});
