import { errorMessage } from '../errors.js';

/** What the uploader knows when it explains a failure. */
export interface FailureContext {
  artifactName: string;
  archivePath: string;
  resultsUrl: string;
  stallTimeoutMs: number;
}

/**
 * True when the service refused the name because a finalized artifact already has it in this
 * run. The library passes the service's answer through as text: `(409) Conflict: …`.
 */
export function isNameConflict(error: unknown): boolean {
  const text = errorMessage(error);
  return /\(409\)/.test(text) || /already[ _]exists/i.test(text);
}

/** The conflict message for a name the user chose (or every default name being taken). */
export function conflictMessage(name: string, archivePath: string, explicit: boolean): string {
  const what = explicit
    ? `an artifact named '${name}' already exists in this workflow run (409 Conflict)`
    : `the default artifact name and its suffixes up to '${name}' are all taken in this run`;
  return (
    `${what}. Set artifact-name to a name unique to this step (for a matrix job, set ` +
    'matrix-key: ${{ strategy.job-index }}), or set overwrite: true to delete the earlier ' +
    `artifact of that name first. The bundle is kept at ${archivePath}`
  );
}

/**
 * Turns what @actions/artifact throws into one message a user can act on. The library has
 * already retried what it considers transient; this only explains the final failure.
 */
export function describeArtifactError(error: unknown, context: FailureContext): string {
  const name = error instanceof Error ? error.name : '';
  const text = firstLine(errorMessage(error));
  const kept = `The bundle is kept at ${context.archivePath}`;
  const status = httpStatus(error, text);

  if (isNameConflict(error)) {
    return conflictMessage(context.artifactName, context.archivePath, true);
  }
  if (name === 'GHESNotSupportedError') {
    return (
      'workflow artifacts through @actions/artifact are not supported on GitHub Enterprise ' +
      `Server (GITHUB_SERVER_URL points elsewhere than github.com); use s3 or http. ${kept}`
    );
  }
  if (name === 'UsageError') {
    return (
      'the artifact storage quota of this account or organisation is used up: delete old ' +
      `artifacts, lower retention-days, or upload to s3 or http instead. ${kept}`
    );
  }
  const unreachable = /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH)\b/.test(text);
  if (name === 'NetworkError' || unreachable) {
    return (
      `could not reach the artifact service at ${context.resultsUrl || 'ACTIONS_RESULTS_URL'} ` +
      `(${networkCode(error, text)}); on a self-hosted runner check that it can reach ` +
      `GitHub's Actions endpoints. ${kept}`
    );
  }
  if (/invalid and\/or missing claims|ACTIONS_RUNTIME_TOKEN/.test(text)) {
    return (
      'ACTIONS_RUNTIME_TOKEN is not a runtime token the artifact library can read (it lacks ' +
      `the Actions.Results scope); run inside a GitHub Actions job or use s3 or http. ${kept}`
    );
  }
  if (status === 401 || status === 403) {
    return (
      `the artifact service refused this job's credentials (${status}): ${text}. The runtime ` +
      'token may have expired (a very long job) or the signed upload URL was rejected; ' +
      `re-run the job. ${kept}`
    );
  }
  if (/stalled/i.test(text)) {
    return (
      `the artifact upload made no progress for ${Math.round(context.stallTimeoutMs / 1000)} s ` +
      `(upload-timeout-seconds) and was abandoned. ${kept}`
    );
  }
  if (/after \d+ attempts/.test(text)) {
    return `the artifact service kept failing, the library gave up: ${text}. ${kept}`;
  }
  return `artifact upload failed: ${text}. ${kept}`;
}

/** The HTTP status from the library's text (`(401) Unauthorized`) or a storage RestError. */
function httpStatus(error: unknown, text: string): number | undefined {
  const fromError = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof fromError === 'number') return fromError;
  const match = /\((\d{3})\)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

function networkCode(error: unknown, text: string): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return /\b(E[A-Z]+)\b/.exec(text)?.[1] ?? 'network error';
}

/** The library's messages run over several lines of advice; the first line says what failed. */
function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).trim();
}
