import { InputError } from '../errors.js';

const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];

/** A YAML 1.2 boolean, as `core.getBooleanInput` reads one; anything else is an error. */
export function parseBoolean(name: string, value: string): boolean {
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InputError(name, value, 'use true or false');
}

/** A whole number within bounds. */
export function parseInteger(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InputError(name, value, `use a whole number from ${min} to ${max}`);
  }
  const parsed = Number(value.trim());
  if (parsed < min || parsed > max) {
    throw new InputError(name, value, `use a whole number from ${min} to ${max}`);
  }
  return parsed;
}

/** A positive decimal number (fractions allowed), greater than zero. */
export function parsePositiveNumber(name: string, value: string, max: number): number {
  const text = value.trim();
  const parsed = Number(text);
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text) || !(parsed > 0) || parsed > max) {
    throw new InputError(name, value, `use a number greater than 0 and at most ${max}`);
  }
  return parsed;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

/** A byte size such as `50MiB`, `512 KiB`, `1.5GiB` or `1048576`. */
export function parseSize(name: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(value.trim());
  const unit = match?.[2] ?? '';
  const factor = SIZE_UNITS[unit];
  if (!match || factor === undefined) {
    throw new InputError(name, value, 'use a size with a unit of B, KiB, MiB or GiB, like 50MiB');
  }
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < 1) throw new InputError(name, value, 'use a size of at least 1B');
  return bytes;
}

/** Newline-separated list: blank lines and surrounding spaces dropped. */
export function parseLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Comma- or newline-separated list. */
export function parseList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
