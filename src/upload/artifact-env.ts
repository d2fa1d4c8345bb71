/**
 * Upload concurrency for the artifact library, which stages fixed 8 MiB blocks: one at a time,
 * the lowest it goes (193 MiB peak at the library's default of 5). Where the rest of the peak
 * goes, measured with `k98-diagnostics upload` of a 256 MiB archive (RSS, MiB): the node
 * process 42, the CLI with the archive hashed 57, the library loaded 87 before the first byte
 * goes up. The library's own stream then holds about 40 MiB of 8 MiB buffers (a fresh buffer
 * per file read, its 8 MiB stream buffers, the block being sent). Each spent read buffer stays
 * until a full garbage collection, which V8 starts only after some 64 MB of new buffer memory
 * (165-195 MiB peaks); `collectingGarbage` (memory/collecting-garbage.ts) forces one per
 * block instead, for 130-143 MiB with 256 MiB and 1 GiB archives on Node 20. The library
 * takes a file path, not a stream, and reads no block-size variable, so its buffers cannot be
 * made smaller here.
 */
// TODO: under Node 24 (the action's runtime on GitHub) the peak is 151-162 MiB, not under 150.
export const ARTIFACT_UPLOAD_CONCURRENCY = 1;

/** The variables @actions/artifact reads from process.env when it is called. */
const LIBRARY_VARIABLES = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_SERVER_URL',
  'GITHUB_RETENTION_DAYS',
  'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
  'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS',
] as const;

/**
 * Runs `body` with the library's variables taken from the request's environment rather than
 * the process's, so a caller (and a test) decides what the library sees. The concurrency and
 * stall timeout are ours unless the user set the library's own variables. The process's
 * values are restored afterwards.
 */
export async function withArtifactEnv<T>(
  env: NodeJS.ProcessEnv,
  stallTimeoutMs: number,
  body: () => Promise<T>,
): Promise<T> {
  const saved = new Map(LIBRARY_VARIABLES.map((name) => [name, process.env[name]]));
  const wanted: Record<(typeof LIBRARY_VARIABLES)[number], string | undefined> = {
    ACTIONS_RUNTIME_TOKEN: env.ACTIONS_RUNTIME_TOKEN,
    ACTIONS_RESULTS_URL: env.ACTIONS_RESULTS_URL,
    GITHUB_SERVER_URL: env.GITHUB_SERVER_URL,
    GITHUB_RETENTION_DAYS: env.GITHUB_RETENTION_DAYS,
    ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY:
      env.ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY || String(ARTIFACT_UPLOAD_CONCURRENCY),
    ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS:
      env.ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS || String(stallTimeoutMs),
  };
  for (const name of LIBRARY_VARIABLES) setVariable(name, wanted[name]);
  try {
    return await body();
  } finally {
    for (const [name, value] of saved) setVariable(name, value);
  }
}

function setVariable(name: string, value: string | undefined): void {
  if (value === undefined || value === '') delete process.env[name];
  else process.env[name] = value;
}
