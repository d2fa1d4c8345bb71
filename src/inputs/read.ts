import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

import { InputError } from '../errors.js';
import { pathTaken } from '../path-taken.js';
import type { UploadSettings } from '../upload/types.js';
import { INPUT_DEFAULTS, type InputName } from './definitions.js';
import {
  parseBoolean,
  parseInteger,
  parseLines,
  parseList,
  parsePositiveNumber,
  parseSize,
} from './parse.js';
import { readUploadSettings } from './upload.js';

/** Everything the action was asked to do, validated. Paths are absolute. */
export interface Inputs {
  workingDirectory: string;
  /** False: run nothing, only collect and upload (a step after the workflow's own tests). */
  runCommands: boolean;
  smokeCommand: string;
  testCommand: string;
  /** Per command. */
  timeoutMs: number;
  logDir: string;
  dataDir: string;
  includeLogs: boolean;
  headLines: number;
  tailLines: number;
  /** Files, directories or globs, as given. */
  extraPaths: string[];
  /** A systemd unit whose status is captured; empty for none. */
  service: string;
  maxFileSize: number;
  maxBundleSize: number;
  /** Where the archive goes; empty to use the default place and name. */
  output: string;
  failOnCommandFailure: boolean;
  failOnNoTests: boolean;
  compressionLevel: number;
  redactPatterns: RegExp[];
  redactEnvNames: string[];
  upload: UploadSettings;
  /** Glob of JUnit XML files; empty to let the action ask pytest for one. */
  testReport: string;
  incident: IncidentSettings;
}

export interface IncidentSettings {
  openOnFailure: boolean;
  closeOnSuccess: boolean;
  token: string;
  labels: string[];
}

/** Reads one raw input; returns undefined when it was not given at all. */
export type InputGetter = (name: InputName) => string | undefined;

/** Inputs where an empty value is a choice (skip the command), not a request for the default. */
const EMPTY_MEANS_NONE: InputName[] = ['smoke-command', 'test-command'];

/**
 * Reads and validates every input up front. The first invalid one throws an InputError that
 * names it, its value and what is allowed; nothing has run by then.
 */
export function readInputs(getRaw: InputGetter, env: NodeJS.ProcessEnv): Inputs {
  const get = (name: InputName): string => {
    const raw = getRaw(name);
    if (raw === undefined) return INPUT_DEFAULTS[name];
    if (raw.trim() === '' && !EMPTY_MEANS_NONE.includes(name)) return INPUT_DEFAULTS[name];
    return raw;
  };
  const bool = (name: InputName): boolean => parseBoolean(name, get(name).trim());

  const workingDirectory = resolveWorkingDirectory(get('working-directory'));
  const inWorkDir = (value: string): string => path.resolve(workingDirectory, value);
  const logDir = inWorkDir(get('log-dir').trim() || env.LOG_DIR || 'logs');
  const dataDir = inWorkDir(get('data-dir').trim() || env.DATA_DIR || 'data');

  return {
    workingDirectory,
    runCommands: bool('run-commands'),
    smokeCommand: get('smoke-command').trim(),
    testCommand: get('test-command').trim(),
    timeoutMs: Math.round(
      parsePositiveNumber('timeout-minutes', get('timeout-minutes'), 1440) * 60_000,
    ),
    logDir,
    dataDir,
    includeLogs: bool('include-logs'),
    headLines: parseInteger('head-lines', get('head-lines'), 0, 1_000_000),
    tailLines: parseInteger('tail-lines', get('tail-lines'), 0, 1_000_000),
    extraPaths: parseLines(get('extra-paths')),
    service: readServiceName(get('service').trim()),
    maxFileSize: parseSize('max-file-size', get('max-file-size')),
    maxBundleSize: parseSize('max-bundle-size', get('max-bundle-size')),
    output: checkOutput(resolveOutput(get('output').trim(), inWorkDir), [logDir, dataDir]),
    failOnCommandFailure: bool('fail-on-command-failure'),
    failOnNoTests: bool('fail-on-no-tests'),
    compressionLevel: parseInteger('compression-level', get('compression-level'), 1, 9),
    redactPatterns: parseLines(get('redact-patterns')).map((source) =>
      compilePattern('redact-patterns', source),
    ),
    redactEnvNames: parseList(get('redact-env-names')),
    upload: readUploadSettings(get, env),
    testReport: get('test-report').trim(),
    incident: {
      openOnFailure: bool('open-issue-on-failure'),
      closeOnSuccess: bool('close-issue-on-success'),
      token: get('github-token').trim() || env.GITHUB_TOKEN || '',
      labels: parseList(get('issue-labels')),
    },
  };
}

/** The archive path; a trailing `/` (a directory to put the default name in) is kept. */
function resolveOutput(value: string, inWorkDir: (value: string) => string): string {
  if (!value) return '';
  return value.endsWith('/') ? `${inWorkDir(value)}/` : inWorkDir(value);
}

/**
 * The archive must never overwrite anything: not a file that exists (a log, /dev/null), and
 * not a path inside LOG_DIR or DATA_DIR, where it would be collected into itself.
 */
function checkOutput(output: string, collected: string[]): string {
  if (!output) return output;
  const file = output.endsWith('/') ? output.slice(0, -1) : output;

  // Compared as the kernel sees them: through a link (alias -> logs), or with LOG_DIR itself
  // a link, the archive would land inside a collected directory under another name.
  const realFile = realPathOf(file);
  for (const directory of collected) {
    if (isInside(file, directory) || isInside(realFile, realPathOf(directory))) {
      throw new InputError(
        'output',
        output,
        `it is inside ${directory}, which is collected; write the archive somewhere else`,
      );
    }
  }
  // A dangling link counts as taken; a trailing '/' on a file makes no directory of it.
  if (pathTaken(file) && !isDirectory(file)) {
    throw new InputError(
      'output',
      output,
      'a file already exists there and is never overwritten; give a new file name or a directory',
    );
  }
  checkWritable(output, file);
  return output;
}

function isInside(file: string, directory: string): boolean {
  const relative = path.relative(directory, file);
  // `..x.tar.gz` is a name inside; only `..` as a whole step leads out.
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`);
  return !outside && !path.isAbsolute(relative);
}

/**
 * `file` with every link resolved: the part that exists is given to realpath and the rest,
 * which does not exist yet and so holds no links, is joined on as written.
 */
function realPathOf(file: string): string {
  let existing = file;
  while (!existsSync(existing) && path.dirname(existing) !== existing) {
    existing = path.dirname(existing);
  }
  try {
    return path.join(realpathSync(existing), path.relative(existing, file));
  } catch {
    // Unreadable on the way (a directory without search permission): as written.
    return file;
  }
}

/**
 * Fails before anything is collected when the archive could not be written: its directory
 * (or the nearest one of its parents that exists, as missing ones are created) must be a
 * directory this process can write in. `file` is `output` without a trailing '/'.
 */
function checkWritable(output: string, file: string): void {
  let directory = output.endsWith('/') || isDirectory(file) ? file : path.dirname(file);
  while (!existsSync(directory) && path.dirname(directory) !== directory) {
    directory = path.dirname(directory);
  }
  if (!statSync(directory).isDirectory()) {
    throw new InputError('output', output, `${directory} is a file, not a directory`);
  }
  try {
    accessSync(directory, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(
      'output',
      output,
      `this process cannot write in ${directory}; give a directory it can write to`,
    );
  }
}

function isDirectory(file: string): boolean {
  return existsSync(file) && statSync(file).isDirectory();
}

function resolveWorkingDirectory(value: string): string {
  const absolute = path.resolve(value.trim());
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new InputError(
      'working-directory',
      value,
      `no directory exists at ${absolute}; give the path of the bot's checkout`,
    );
  }
  return absolute;
}

function readServiceName(value: string): string {
  // A leading '-' would be read by systemctl as an option (-H host runs it over ssh).
  if (value && (!/^[A-Za-z0-9@._:\\-]+$/.test(value) || value.startsWith('-'))) {
    throw new InputError('service', value, 'use a systemd unit name such as k98-bot.service');
  }
  return value;
}

function compilePattern(name: string, source: string): RegExp {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, 'g');
  } catch (error) {
    throw new InputError(name, source, `not a valid regular expression (${String(error)})`);
  }
  // A pattern that matches nothing at all (x*, .*?) would put a mark between every byte.
  if (new RegExp(source).test('')) {
    throw new InputError(
      name,
      source,
      'it matches the empty string; make it match at least one character',
    );
  }
  return pattern;
}
