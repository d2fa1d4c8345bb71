/**
 * Realistic bot trees for the benchmark: LOG_DIR with the current log, rotated siblings and
 * the other logs the bot writes, DATA_DIR with state files. Lines follow the bot's format
 * `YYYY-MM-DD HH:MM:SS,mmm [LEVEL] logger: message` with varied content (ids, names, timings,
 * tracebacks, the odd credential), so gzip and the scrubber see what they would on a real box.
 */
import {
  createWriteStream,
  mkdirSync,
  openSync,
  closeSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';

const MIB = 1024 * 1024;

/** How large the bot lets one log grow before rotating it (its RotatingFileHandler). */
export const ROTATE_BYTES = 50 * MIB;

const LEVELS = ['INFO', 'INFO', 'INFO', 'INFO', 'INFO', 'INFO', 'DEBUG', 'WARNING', 'ERROR'];
const LOGGERS = [
  'bot.core',
  'bot.queue',
  'bot.commands.kvk',
  'bot.commands.stats',
  'bot.scheduler',
  'discord.gateway',
  'discord.http',
  'bot.db',
  'bot.telemetry',
];
const USERS = ['Aldric', 'Brynja', 'Corvin', 'Dagny', 'Eirik', 'Freya', 'Gunnar', 'Hilde'];

/** A small seeded generator, so every run writes the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

/** Writes log lines; each call gives about `bytes` of text ending at a line break. */
export class LogLines {
  private readonly next: () => number;
  private clock: number;
  private day = -1;
  private dayText = '';

  constructor(seed: number, start = Date.UTC(2026, 10, 1)) {
    this.next = random(seed);
    this.clock = start;
  }

  line(): string {
    const next = this.next;
    this.clock += Math.floor(next() * 900);
    const prefix = this.stamp();
    const level = pick(next, LEVELS);
    const logger = pick(next, LOGGERS);
    return `${prefix} [${level}] ${logger}: ${this.message(level)}\n`;
  }

  /** `YYYY-MM-DD HH:MM:SS,mmm`; the date part is formatted once per day (it is slow). */
  private stamp(): string {
    const day = Math.floor(this.clock / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.dayText = new Date(day * 86_400_000).toISOString().slice(0, 10);
    }
    const inDay = this.clock - day * 86_400_000;
    const two = (value: number) => String(value).padStart(2, '0');
    const hours = two(Math.floor(inDay / 3_600_000));
    const minutes = two(Math.floor(inDay / 60_000) % 60);
    const seconds = two(Math.floor(inDay / 1000) % 60);
    const millis = String(inDay % 1000).padStart(3, '0');
    return `${this.dayText} ${hours}:${minutes}:${seconds},${millis}`;
  }

  private message(level: string): string {
    const next = this.next;
    const id = 100000000000000000 + Math.floor(next() * 899999999999999);
    const user = pick(next, USERS);
    const ms = (next() * 2500).toFixed(1);
    const roll = next();
    if (level === 'ERROR' && roll < 0.3) {
      return (
        `command /kvk stats failed for ${user} (${id})\nTraceback (most recent call last):\n` +
        `  File "/srv/k98/bot/commands/kvk.py", line ${Math.floor(next() * 900)}, in stats\n` +
        `    rows = await self.db.fetch(query, ${id})\n` +
        `asyncpg.exceptions.QueryCanceledError: canceling statement due to statement timeout`
      );
    }
    // The odd credential, as leaks really look in logs: the scrubber has work to do.
    if (roll < 0.0005) return `retrying with Authorization: Bearer ${id.toString(36)}abcdefXYZ`;
    if (roll < 0.001) return `connecting to postgres://k98:hunter${id % 1000}@db.internal/k98`;
    if (roll < 0.25) return `user ${user} (${id}) ran /kvk stats in ${ms} ms`;
    if (roll < 0.45) return `queue message ${id} updated: ${Math.floor(next() * 40)} entries`;
    if (roll < 0.6) return `heartbeat ok latency=${ms}ms shard=${Math.floor(next() * 4)}`;
    if (roll < 0.75) return `GET /api/v10/channels/${id}/messages 200 (${ms} ms)`;
    if (roll < 0.9) return `cache hit ratio ${(next() * 100).toFixed(2)}% size=${id % 99991}`;
    return `scheduled job sync_roles next run at +${Math.floor(next() * 3600)} s for ${user}`;
  }

  /** About `bytes` of lines (never split mid-line). */
  text(bytes: number): string {
    const parts: string[] = [];
    let size = 0;
    while (size < bytes) {
      const line = this.line();
      parts.push(line);
      size += line.length;
    }
    return parts.join('');
  }
}

async function writeLog(file: string, bytes: number, lines: LogLines): Promise<void> {
  const out = createWriteStream(file);
  for (let written = 0; written < bytes;) {
    const chunk = lines.text(Math.min(MIB, bytes - written));
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * A bot tree under `root` with about `logBytes` of logs: log.txt and rotated siblings
 * log.txt.1 … (oldest highest, older times), error_log.txt, telemetry, state files.
 */
export async function makeBotTree(root: string, logBytes: number): Promise<void> {
  const logs = path.join(root, 'logs');
  const data = path.join(root, 'data');
  mkdirSync(logs, { recursive: true });
  mkdirSync(data, { recursive: true });
  const lines = new LogLines(98);

  const errorBytes = Math.min(2 * MIB, Math.floor(logBytes / 50));
  await writeLog(path.join(logs, 'error_log.txt'), errorBytes, new LogLines(7));
  const telemetry: string[] = [];
  for (let seq = 1; seq <= 2000; seq++) {
    telemetry.push(`{"event":"heartbeat","seq":${seq},"latency_ms":${(seq * 7) % 311}}`);
  }
  writeFileSync(path.join(logs, 'telemetry_log.jsonl'), `${telemetry.join('\n')}\n`);
  writeFileSync(path.join(logs, 'heartbeat.json'), '{"status":"ok","shards":4}\n');
  writeFileSync(path.join(logs, 'last_shutdown_info.json'), '{"reason":"restart"}\n');
  writeFileSync(path.join(data, 'LAST_SHUTDOWN_INFO.json'), '{"reason":"restart"}\n');
  writeFileSync(path.join(data, 'live_queue_cache.json'), '{"queue_message_id":1}\n');
  writeFileSync(path.join(data, 'command_cache.json'), '{"commands":["kvk","stats"]}\n');

  // Rotated siblings are full; the current log holds the rest. Oldest written first.
  const total = logBytes - errorBytes;
  const rotated = Math.max(0, Math.ceil(total / ROTATE_BYTES) - 1);
  for (let number = rotated; number >= 0; number--) {
    const name = number === 0 ? 'log.txt' : `log.txt.${number}`;
    const file = path.join(logs, name);
    await writeLog(file, number === 0 ? total - rotated * ROTATE_BYTES : ROTATE_BYTES, lines);
    const when = new Date(Date.now() - number * 3_600_000);
    utimesSync(file, when, when);
  }
}

/**
 * A sparse log of `size` bytes with real lines at both ends and a hole between, so an
 * excerpt of a multi-GB log costs no disk space.
 */
export function makeSparseLog(file: string, size: number, endBytes = 256 * 1024): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const lines = new LogLines(4);
  const head = Buffer.from(lines.text(endBytes));
  const tail = Buffer.from(lines.text(endBytes));
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head, 0, head.length, 0);
    ftruncateSync(fd, size);
    writeSync(fd, tail, 0, tail.length, size - tail.length);
  } finally {
    closeSync(fd);
  }
}

/** A plain log of `size` bytes. */
export async function makeLog(file: string, size: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await writeLog(file, size, new LogLines(5));
}
