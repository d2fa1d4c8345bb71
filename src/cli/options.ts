import { Command, Option } from 'commander';

import type { InputName } from '../inputs/definitions.js';

/** CLI flags that map one to one onto action inputs. */
const INPUT_FLAGS: Array<[flag: string, input: InputName, help: string]> = [
  ['-C, --working-directory <dir>', 'working-directory', "the bot's checkout (default: .)"],
  ['--log-dir <dir>', 'log-dir', 'LOG_DIR (default: $LOG_DIR, else logs)'],
  ['--data-dir <dir>', 'data-dir', 'DATA_DIR (default: $DATA_DIR, else data)'],
  ['--head-lines <n>', 'head-lines', 'lines in each head excerpt (default: 250)'],
  ['--max-tail <n>', 'tail-lines', 'lines in each tail excerpt (default: 2000)'],
  ['--service <unit>', 'service', 'systemd unit whose status is captured'],
  ['--max-file-size <size>', 'max-file-size', 'largest bundled file, e.g. 50MiB'],
  ['--max-bundle-size <size>', 'max-bundle-size', 'largest uncompressed bundle, e.g. 500MiB'],
  ['--timeout-minutes <n>', 'timeout-minutes', 'time limit per command (default: 30)'],
  ['--compression-level <n>', 'compression-level', 'gzip level 1-9 (default: 6)'],
  ['--redact-env-names <names>', 'redact-env-names', 'more secret variable names, comma-separated'],
  ['--redact-pattern <regex...>', 'redact-patterns', 'more regular expressions to redact'],
];

/** Upload flags: the runbook's names, shared by `collect --upload` and `upload FILE`. */
const UPLOAD_FLAGS: Array<[flag: string, input: InputName, help: string]> = [
  ['--artifact-url <url>', 'http-url', 'HTTP artifact endpoint (default: $ARTIFACT_UPLOAD_URL)'],
  ['--artifact-token <token>', 'http-token', 'bearer token (default: $ARTIFACT_UPLOAD_TOKEN)'],
  [
    '--allow-insecure-http',
    'allow-insecure-http',
    'allow a token over plain http to a remote host',
  ],
  ['--s3-bucket <bucket>', 's3-bucket', 'S3 bucket (default: $DIAGNOSTICS_S3_BUCKET)'],
  ['--s3-prefix <prefix>', 's3-prefix', 'S3 key prefix (default: $DIAGNOSTICS_S3_PREFIX)'],
  ['--s3-region <region>', 's3-region', 'S3 region (default: $AWS_REGION)'],
  ['--s3-endpoint <url>', 's3-endpoint', 'S3-compatible endpoint (default: $AWS_ENDPOINT_URL_S3)'],
  ['--upload-retries <n>', 'upload-retries', 'retries after the first attempt (default: 3)'],
  ['--upload-timeout-seconds <n>', 'upload-timeout-seconds', 'longest stall (default: 300)'],
];

export function addInputFlags(command: Command): Command {
  for (const [flag, , help] of INPUT_FLAGS) command.option(flag, help);
  return command;
}

export function addUploadFlags(command: Command): Command {
  for (const [flag, , help] of UPLOAD_FLAGS) command.option(flag, help);
  command.addOption(
    new Option('--upload-to <list>', 'destinations: auto, or a list of s3,http').default('auto'),
  );
  return command;
}

/** Turns parsed flags into raw input values, the same strings the runner would pass. */
export function flagsToInputs(flags: Record<string, unknown>): Partial<Record<InputName, string>> {
  const raw: Partial<Record<InputName, string>> = {};
  for (const [flag, input] of [...INPUT_FLAGS, ...UPLOAD_FLAGS]) {
    const key = optionKey(flag);
    const value = flags[key];
    if (value === undefined) continue;
    // A repeated flag gives a list; the input takes one entry per line.
    raw[input] = Array.isArray(value) ? value.join('\n') : String(value);
  }
  return raw;
}

/** Inputs the collect command sets from flags of its own (see program.ts and collect.ts). */
const COLLECT_FLAGS: Array<[flag: string, input: InputName]> = [
  ['--output', 'output'],
  ['--include-logs', 'include-logs'],
  ['--extra', 'extra-paths'],
  ['--upload-to', 'upload'],
];

/** The CLI flag that sets an input, or undefined when no flag does. */
export function flagForInput(input: string): string | undefined {
  for (const [flag, name] of [...INPUT_FLAGS, ...UPLOAD_FLAGS, ...COLLECT_FLAGS]) {
    if (name === input) return /--[a-z0-9-]+/.exec(flag)?.[0];
  }
  return undefined;
}

/** commander's property name for a flag: `--s3-bucket <b>` -> `s3Bucket`. */
function optionKey(flag: string): string {
  const long = /--([a-z0-9-]+)/.exec(flag)?.[1] ?? '';
  return long.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
