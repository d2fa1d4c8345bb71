/**
 * Upload concurrency for the artifact library: one block at a time, the lowest it goes (193 MiB
 * peak at the library's default of 5 with its 8 MiB blocks).
 */
export const ARTIFACT_UPLOAD_CONCURRENCY = 1;

/**
 * Block size for the artifact library, which patches/@actions+artifact+6.2.1.patch lets us
 * set (the library has it fixed at 8 MiB and reads the file, so it cannot be done from here).
 * Its streams hold some five blocks at once (a fresh buffer per file read, its 8 MiB stream
 * buffers, the block being sent). Measured with `k98-diagnostics upload` of a 256 MiB archive
 * (peak RSS, MiB), 8 MiB blocks: 130-137 on Node 20 but 151-155 on Node 24, whose node and
 * loaded library take some 20 MiB more; 4 MiB blocks: 116-118 and 131-135. Two 4 MiB blocks at
 * once were faster on loopback but peaked at 141-142 on Node 24, too near the 150 MB bound.
 */
export const ARTIFACT_UPLOAD_CHUNK_SIZE = 4 * 1024 * 1024;

/** The block size in effect; called inside `withArtifactEnv`, where a user's value counts. */
export function artifactChunkSize(): number {
  return Number(process.env.ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE) || ARTIFACT_UPLOAD_CHUNK_SIZE;
}

/** The variables @actions/artifact reads from process.env when it is called. */
const LIBRARY_VARIABLES = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_SERVER_URL',
  'GITHUB_RETENTION_DAYS',
  'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
  'ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE',
  'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS',
] as const;

/**
 * Runs `body` with the library's variables taken from the request's environment rather than
 * the process's, so a caller (and a test) decides what the library sees. The concurrency, block
 * size and stall timeout are ours unless the user set the library's own variables. The process's
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
    ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE:
      env.ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE || String(ARTIFACT_UPLOAD_CHUNK_SIZE),
    ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS:
      env.ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS || String(stallTimeoutMs),
  };
  checkChunkSize(wanted.ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE);
  for (const name of LIBRARY_VARIABLES) setVariable(name, wanted[name]);
  try {
    return await body();
  } finally {
    for (const [name, value] of saved) setVariable(name, value);
  }
}

/**
 * The patched library rejects a block size out of range only once the artifact is created
 * (and left empty on the run); the same rule, checked before any call.
 */
function checkChunkSize(value = ''): void {
  const bytes = Number(value);
  if (Number.isInteger(bytes) && bytes >= 1024 * 1024 && bytes <= 64 * 1024 * 1024) return;
  throw new Error(
    `Invalid value set for ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE env variable: '${value}' ` +
      '(a number of bytes from 1048576 to 67108864; unset it for the default)',
  );
}

function setVariable(name: string, value: string | undefined): void {
  if (value === undefined || value === '') delete process.env[name];
  else process.env[name] = value;
}
