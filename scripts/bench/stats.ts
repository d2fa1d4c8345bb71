/** Medians and ranges of repeated measurements, formatted for the table. */

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/** `7.41 s (7.20–8.02)` */
export function seconds(values: Spread): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `${s(values.median)} s (${s(values.min)}–${s(values.max)})`;
}

/** `143 ms (120–160)` */
export function millis(values: Spread): string {
  return `${Math.round(values.median)} ms (${Math.round(values.min)}–${Math.round(values.max)})`;
}

/** `143 MB (140–150)`, in decimal megabytes like the targets. */
export function megabytes(values: Spread): string {
  const mb = (bytes: number) => Math.round(bytes / 1e6);
  return `${mb(values.median)} MB (${mb(values.min)}–${mb(values.max)})`;
}

/** `1.23×` */
export function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

const UNITS: Array<[string, number]> = [
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
];

/** Parses `100MiB`, `1GiB`, `4096` (bytes). */
export function parseBytes(text: string): number {
  const match = /^\s*([\d.]+)\s*([KMG]iB)?\s*$/i.exec(text);
  if (!match) throw new Error(`not a size: ${text} (use e.g. 100MiB or 1GiB)`);
  const unit = UNITS.find(([name]) => name.toLowerCase() === match[2]?.toLowerCase());
  return Math.round(Number(match[1]) * (unit ? unit[1] : 1));
}

export function formatBytes(bytes: number): string {
  for (const [name, size] of UNITS) {
    if (bytes >= size) return `${+(bytes / size).toFixed(1)} ${name}`;
  }
  return `${bytes} B`;
}
