import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';

import { packArchive, StreamingPacker } from '../src/pack/archive.js';
import { GZIP_BLOCK_BYTES, ParallelGzip, Precompressed } from '../src/pack/parallel-gzip.js';
import { tarEntries } from '../src/pack/tar-entries.js';
import { tempDir } from './helpers/action.js';
import { listFiles, sha256File } from './helpers/archive.js';

describe('parallel gzip', () => {
  it('writes concatenated members that gzip -t and gunzip accept, byte for byte', async () => {
    const dir = tempDir();
    const input = Buffer.concat([
      randomBytes(GZIP_BLOCK_BYTES * 3 + 12345),
      Buffer.alloc(5000, 65),
    ]);
    const output = path.join(dir, 'data.gz');
    const chunks = [];
    for (let offset = 0; offset < input.length; offset += 70_000) {
      chunks.push(input.subarray(offset, offset + 70_000));
    }
    await pipeline(Readable.from(chunks), new ParallelGzip(6, 2), createWriteStream(output));
    execFileSync('gzip', ['-t', output]);
    assert.ok(gunzipSync(readFileSync(output)).equals(input));
    const viaGzip = execFileSync('gzip', ['-dc', output], { maxBuffer: 64 * 1024 * 1024 });
    assert.ok(viaGzip.equals(input));
  });

  it('makes members of the block size it is given', async () => {
    const dir = tempDir();
    const blockBytes = 256 * 1024;
    const input = randomBytes(blockBytes * 3 + 777);
    const chunks = [];
    for (let offset = 0; offset < input.length; offset += 70_000) {
      chunks.push(input.subarray(offset, offset + 70_000));
    }
    const output = path.join(dir, 'blocks.gz');
    await pipeline(
      Readable.from(chunks),
      new ParallelGzip(6, 2, blockBytes),
      createWriteStream(output),
    );
    const compressed = readFileSync(output);
    assert.deepEqual(memberSizes(compressed), [blockBytes, blockBytes, blockBytes, 777]);
    assert.ok(gunzipSync(compressed).equals(input));
  });

  it('writes a valid stream for empty input', async () => {
    const dir = tempDir();
    const output = path.join(dir, 'empty.gz');
    await pipeline(Readable.from([]), new ParallelGzip(6), createWriteStream(output));
    execFileSync('gzip', ['-t', output]);
    assert.equal(gunzipSync(readFileSync(output)).length, 0);
  });

  it('packs a tree that the system tar lists and extracts identically', async () => {
    const staging = tempDir();
    mkdirSync(path.join(staging, 'meta'));
    writeFileSync(path.join(staging, 'meta/a.txt'), 'alpha\n'.repeat(500_000));
    writeFileSync(path.join(staging, 'meta/b.bin'), randomBytes(3 * GZIP_BLOCK_BYTES));
    const archive = path.join(tempDir(), 'bundle.tar.gz');
    const packed = await packArchive(staging, ['meta/a.txt', 'meta/b.bin'], archive, 6);
    assert.equal(packed.sha256, sha256File(archive));

    execFileSync('gzip', ['-t', archive]);
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(listing, ['meta/a.txt', 'meta/b.bin']);
    const out = tempDir();
    execFileSync('tar', ['-xzf', archive, '-C', out]);
    assert.deepEqual(listFiles(out), ['meta/a.txt', 'meta/b.bin']);
    for (const file of listFiles(out)) {
      assert.equal(sha256File(path.join(out, file)), sha256File(path.join(staging, file)));
    }
  });

  it("holds a small file's bytes in a buffer of about their size, not a read block's", async () => {
    // The bytes of small files wait in the gzip block until it fills; a 256 KiB buffer under
    // each made thousands of small files force a full garbage collection every few dozen.
    const staging = tempDir();
    const names = Array.from({ length: 300 }, (_, index) => `extra/f${index}.txt`);
    mkdirSync(path.join(staging, 'extra'));
    for (const name of names) writeFileSync(path.join(staging, name), `line of ${name}\n`);
    writeFileSync(path.join(staging, 'extra/big.txt'), 'b'.repeat(600_000));
    const entries = [...names, 'extra/big.txt'].map((relativePath) => ({
      relativePath,
      gzipped: false,
    }));

    const held = new Set<ArrayBufferLike>();
    const pieces: Buffer[] = [];
    for await (const piece of tarEntries(staging, Readable.from(entries))) {
      assert.ok(Buffer.isBuffer(piece));
      pieces.push(piece);
      if (pieces.length < names.length * 3) held.add(piece.buffer);
    }
    const heldBytes = [...held].reduce((sum, buffer) => sum + buffer.byteLength, 0);
    assert.ok(heldBytes < names.length * 4096, `${heldBytes} bytes held by 300 small files`);

    // And every byte is still there: the system tar reads it all back.
    const archive = path.join(tempDir(), 'small.tar');
    writeFileSync(archive, Buffer.concat(pieces));
    const out = tempDir();
    execFileSync('tar', ['-xf', archive, '-C', out]);
    assert.equal(listFiles(out).length, 301);
    assert.equal(readFileSync(path.join(out, 'extra/f7.txt'), 'utf8'), 'line of extra/f7.txt\n');
    assert.equal(readFileSync(path.join(out, 'extra/big.txt'), 'utf8').length, 600_000);
  });

  it('passes gzip members through in order between blocks it compresses', async () => {
    const dir = tempDir();
    const plain = Buffer.alloc(GZIP_BLOCK_BYTES + 777, 'plain ');
    const made = randomBytes(300_000);
    const output = path.join(dir, 'mixed.gz');
    const input = [plain, new Precompressed(gzipSync(made)), plain.subarray(0, 10)];
    await pipeline(Readable.from(input), new ParallelGzip(6, 2), createWriteStream(output));
    execFileSync('gzip', ['-t', output]);
    const expected = Buffer.concat([plain, made, plain.subarray(0, 10)]);
    assert.ok(gunzipSync(readFileSync(output)).equals(expected));
  });

  it('packs files staged gzipped beside plain ones, long names too', async () => {
    const staging = tempDir();
    const longName = `meta/${'deep-directory/'.repeat(8)}${'x'.repeat(120)}.log`;
    mkdirSync(path.dirname(path.join(staging, longName)), { recursive: true });
    const content = {
      'meta/plain.txt': Buffer.from('plain\n'.repeat(100_000)),
      'meta/big.log': Buffer.concat([randomBytes(2 * GZIP_BLOCK_BYTES), Buffer.from('tail\n')]),
      [longName]: Buffer.from('a file with a path over 255 characters\n'),
      'meta/empty.log': Buffer.alloc(0),
    };
    writeFileSync(path.join(staging, 'meta/plain.txt'), content['meta/plain.txt']);
    const archive = path.join(tempDir(), 'mixed.tar.gz');
    const packer = new StreamingPacker(staging, archive, 6);
    packer.add('meta/plain.txt');
    for (const name of ['meta/big.log', longName, 'meta/empty.log']) {
      const bytes = content[name] as Buffer;
      // Members made as the staging thread makes them: more than one, cut anywhere.
      const gz = Buffer.concat([gzipSync(bytes.subarray(0, 1000)), gzipSync(bytes.subarray(1000))]);
      writeFileSync(path.join(staging, name), gz);
      packer.add(name, { size: bytes.length });
    }
    const packed = await packer.finish();
    assert.equal(packed.sha256, sha256File(archive));

    execFileSync('gzip', ['-t', archive]);
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(listing, Object.keys(content));
    const out = tempDir();
    execFileSync('tar', ['-xzf', archive, '-C', out]);
    for (const [name, bytes] of Object.entries(content)) {
      assert.ok(readFileSync(path.join(out, name)).equals(bytes), `${name} differs`);
    }
    assert.deepEqual(
      [...packed.readBack],
      Object.entries(content).map(([name, bytes]) => [name, bytes.length]),
    );
  });

  it('counts waiting for the next file as a stall only when nothing is being made', async () => {
    const staging = tempDir();
    writeFileSync(path.join(staging, 'first.txt'), 'first\n');
    writeFileSync(path.join(staging, 'slow.txt'), 'made slowly\n');
    const pause = () => new Promise((resolve) => setTimeout(resolve, 2500));

    const patient = new StreamingPacker(staging, path.join(tempDir(), 'a.tar.gz'), 6, 1000);
    patient.add('first.txt');
    patient.waitForInput(true);
    await pause();
    patient.waitForInput(false);
    patient.add('slow.txt');
    assert.deepEqual([...(await patient.finish()).readBack.keys()], ['first.txt', 'slow.txt']);

    const stalled = new StreamingPacker(staging, path.join(tempDir(), 'b.tar.gz'), 6, 1000);
    stalled.add('first.txt');
    await pause();
    stalled.add('slow.txt');
    await assert.rejects(stalled.finish(), /packing the archive stalled/);
  });
});

/** The uncompressed size of each gzip member in `stream` (headers without optional fields). */
function memberSizes(stream: Buffer): number[] {
  const sizes: number[] = [];
  for (let offset = 0; offset < stream.length;) {
    assert.equal(stream[offset + 3], 0, 'a member header without optional fields');
    const member = inflateRawSync(stream.subarray(offset + 10), { info: true }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    sizes.push(member.buffer.length);
    offset += 10 + member.engine.bytesWritten + 8;
  }
  return sizes;
}
