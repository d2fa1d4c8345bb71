import { Command, CommanderError } from 'commander';

import { errorMessage, InputError } from '../errors.js';
import { ACTION_VERSION } from '../version.js';
import { runCollect } from './collect.js';
import { cliInputMessage } from './input-error.js';
import { addInputFlags, addUploadFlags } from './options.js';
import { runUpload } from './upload.js';

/**
 * `k98-diagnostics`: the action's core on an on-call host. Exit codes: 0 done, 1 an upload or
 * the archive failed (the archive, when made, stays on disk), 2 bad input.
 */
function buildProgram(): Command {
  const program = new Command('k98-diagnostics')
    .description("Collect the K98 bot's diagnostics bundle (tar.gz) and upload it")
    .version(ACTION_VERSION)
    .exitOverride();

  const collect = program
    .command('collect')
    .description('collect LOG_DIR and DATA_DIR into a redacted tar.gz, optionally running checks')
    .option(
      '-o, --output <path>',
      'archive path or directory (default: ./k98-diagnostics-<time>.tar.gz)',
    )
    .option('--include-logs', 'also bundle every full log, rotated siblings included')
    .option('--extra <path...>', 'more files, directories or globs to bundle')
    .option('--smoke-command <command>', 'a smoke check to run first (none by default)')
    .option('--test-command <command>', 'a test command to run (none by default)')
    .option('--upload', 'upload the archive to every configured destination')
    .action((flags: Record<string, unknown>) => runCollect(flags));
  addUploadFlags(addInputFlags(collect)).exitOverride();

  const upload = program
    .command('upload')
    .description('upload an existing archive (e.g. one left on disk by a failed upload)')
    .argument('<file>', 'the .tar.gz to upload')
    .action((file: string, flags: Record<string, unknown>) => runUpload(file, flags));
  addUploadFlags(upload).exitOverride();

  return program;
}

/** Runs the command line in `argv` and sets the exit code. */
export async function runCli(argv: string[]): Promise<void> {
  // Output piped into `head` or a closed terminal must not stop a collection half way: the
  // archive matters more than the lines nobody reads.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }

  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message (or the help); a usage error is bad input.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
    } else if (error instanceof InputError) {
      process.stderr.write(`k98-diagnostics: ${cliInputMessage(error)}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`k98-diagnostics: ${errorMessage(error)}\n`);
      process.exitCode = 1;
    }
  }
}
