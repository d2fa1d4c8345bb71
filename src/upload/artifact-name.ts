import type { ArtifactSettings } from './types.js';

/** How many names a default-named upload tries: the name itself, then `-2` … `-10`. */
export const MAX_NAME_CANDIDATES = 10;

/**
 * Characters the artifact service rejects in a name. Matrix values (`ubuntu:22.04/py3.12`) and
 * timestamps with colons bring them in, so they are replaced rather than reported.
 */
const REJECTED_CHARACTERS = /[":<>|*?\r\n\\/]+/g;

/** The extension the uploaded file carries; the service names the artifact after the file. */
export const ARCHIVE_EXTENSION = '.tar.gz';

export interface ArtifactNames {
  /** The names to try in order; only the first for an explicit `artifact-name`. */
  candidates: string[];
  /** True when the user chose the name: it is never suffixed. */
  explicit: boolean;
  /** What the name was before sanitising, when sanitising changed it. */
  original?: string;
}

/** Replaces the characters the artifact service rejects with `-`. */
export function sanitizeArtifactName(name: string): string {
  return name.replace(REJECTED_CHARACTERS, '-').trim();
}

/**
 * The default name, `k98-diagnostics-<job>[-<matrix-key>]-attempt<N>`. An action cannot read
 * the matrix it runs in, so `matrix-key` is how a matrix job gets a stable, distinct name.
 */
export function defaultArtifactName(matrixKey: string, env: NodeJS.ProcessEnv): string {
  const job = env.GITHUB_JOB?.trim() || 'job';
  const attempt = env.GITHUB_RUN_ATTEMPT?.trim() || '1';
  const key = matrixKey ? `-${matrixKey}` : '';
  return `k98-diagnostics-${job}${key}-attempt${attempt}`;
}

/**
 * The artifact names to try, each ending in `.tar.gz` (the name the service shows and the file
 * a maintainer downloads). A default name gets suffixes `-2` … `-10` for when an earlier step
 * or a sibling matrix job in this run already took it.
 */
export function artifactNames(settings: ArtifactSettings, env: NodeJS.ProcessEnv): ArtifactNames {
  const explicit = settings.name !== '';
  const wanted = withoutExtension(
    explicit ? settings.name : defaultArtifactName(settings.matrixKey, env),
  );
  const base = sanitizeArtifactName(wanted) || 'k98-diagnostics';

  const names: ArtifactNames = {
    candidates: [`${base}${ARCHIVE_EXTENSION}`],
    explicit,
  };
  if (base !== wanted) names.original = wanted;
  if (!explicit) {
    for (let suffix = 2; suffix <= MAX_NAME_CANDIDATES; suffix++) {
      names.candidates.push(`${base}-${suffix}${ARCHIVE_EXTENSION}`);
    }
  }
  return names;
}

/** A user who writes `artifact-name: logs.tar.gz` gets `logs.tar.gz`, not `logs.tar.gz.tar.gz`. */
function withoutExtension(name: string): string {
  return name.replace(/\.(tar\.gz|tgz)$/i, '');
}
