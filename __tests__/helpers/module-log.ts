import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A module loader hook that appends each file URL it loads to the file K98_MODULE_LOG names. */
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(process.env.K98_MODULE_LOG, url + '\\n');
  return nextLoad(url, context);
}
`;

const REGISTER = `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
`;

export interface ModuleLog {
  /** Environment for the process to watch (NODE_OPTIONS and the log file). */
  env: Record<string, string>;
  /** The files the process loaded as ES modules (the bundle and its chunks), in load order. */
  loaded: () => string[];
}

/**
 * Records which files a process loads: the built action's ncc chunks are ES modules loaded by
 * `import()`, so this shows which libraries a run actually loaded.
 */
export function moduleLog(dir: string): ModuleLog {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(path.join(dir, 'register.mjs'), REGISTER);
  const logFile = path.join(dir, 'modules.log');
  writeFileSync(logFile, '');
  return {
    env: {
      NODE_OPTIONS: `--import ${pathToFileURL(path.join(dir, 'register.mjs')).href}`,
      K98_MODULE_LOG: logFile,
    },
    loaded: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((url) => fileURLToPath(url)),
  };
}
