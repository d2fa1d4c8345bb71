/**
 * Upload concurrency for the artifact library, which stages fixed 8 MiB blocks. Peak memory of
 * `k98-diagnostics upload` with a 200 MB archive: 193 MiB at the library's default of 5, 174 MiB
 * at 1. One block at a time is the lowest it goes; the rest is the loaded code, the fixed block
 * size and V8 freeing released buffers only every 64 MB or so.
 */
// TODO: the issue asks for under 150 MB; not reachable by concurrency alone (see above).
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
