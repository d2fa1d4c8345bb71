import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Finds an executable on PATH, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const directory of (env.PATH ?? '').split(path.delimiter)) {
    if (!directory) continue;
    const candidate = path.join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

/**
 * How a command line is run: through bash exactly as a `run:` step runs it (fail on the
 * first error and on a failing pipe), or through sh where bash is missing.
 */
export function shellInvocation(command: string): { file: string; args: string[] } {
  const bash = findOnPath('bash');
  if (bash)
    return { file: bash, args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command] };
  return { file: '/bin/sh', args: ['-e', '-c', command] };
}
