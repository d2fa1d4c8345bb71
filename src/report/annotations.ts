import path from 'node:path';

import { innermostFrameInside } from './crash.js';
import type { AnnotationProperties, Reporter } from './reporter.js';
import type { Triage } from './triage.js';

/**
 * GitHub shows at most 10 error annotations per step, and the step's own failure message is
 * one of them: at most 9 come from here, and when there are more, one warning counts the rest.
 */
export const MAX_ERROR_ANNOTATIONS = 9;

export interface AnnotationOptions {
  /** Annotation paths are relative to the repository root: GITHUB_WORKSPACE. */
  workspace?: string;
  /** The bundle's scrubber; annotation text is public on the run page. */
  scrub?: (text: string) => string;
}

interface Annotation {
  message: string;
  properties: AnnotationProperties;
}

/**
 * Error annotations for the newest crash (at its innermost frame inside the working
 * directory) and for each failing test (at its file and line when the report knows them).
 */
export function emitAnnotations(
  triage: Triage,
  workingDirectory: string,
  reporter: Reporter,
  options: AnnotationOptions = {},
): void {
  const workspace = options.workspace ?? process.env.GITHUB_WORKSPACE ?? workingDirectory;
  const scrub = options.scrub ?? ((text: string) => text);
  const annotations = [
    ...crashAnnotation(triage, workingDirectory, workspace),
    ...testAnnotations(triage, workingDirectory, workspace),
  ];

  for (const annotation of annotations.slice(0, MAX_ERROR_ANNOTATIONS)) {
    reporter.error(scrub(annotation.message), scrubProperties(annotation.properties, scrub));
  }

  // The crash comes first, so what is left over is always failing tests.
  const rest = annotations.length - MAX_ERROR_ANNOTATIONS;
  if (rest > 0) {
    reporter.warning(
      `${rest} more failing test${rest === 1 ? '' : 's'} not annotated: see the job summary.`,
      { title: 'More failures' },
    );
  }
}

function crashAnnotation(
  triage: Triage,
  workingDirectory: string,
  workspace: string,
): Annotation[] {
  const crash = triage.crash;
  if (!crash) return [];
  const frame = innermostFrameInside(crash, workingDirectory);
  const when = crash.timestampLine ? ` (${crash.timestampLine})` : '';
  const annotation: Annotation = {
    message: `${crash.exception}${when}`,
    properties: { title: `Crash in ${path.basename(crash.file)}` },
  };
  if (frame) {
    annotation.properties.file = repositoryPath(workingDirectory, workspace, frame.file);
    annotation.properties.startLine = frame.line;
  }
  return [annotation];
}

function testAnnotations(
  triage: Triage,
  workingDirectory: string,
  workspace: string,
): Annotation[] {
  return (triage.tests?.failures ?? []).map((failure): Annotation => {
    const name = failure.classname ? `${failure.classname}::${failure.name}` : failure.name;
    const properties: AnnotationProperties = {
      title: `${failure.kind === 'error' ? 'Test error' : 'Test failed'}: ${name}`,
    };
    if (failure.file) {
      properties.file = repositoryPath(workingDirectory, workspace, failure.file);
      if (failure.line) properties.startLine = failure.line;
    }
    return { message: failure.message, properties };
  });
}

/** A path relative to the repository root, as annotations need; unchanged when outside it. */
function repositoryPath(workingDirectory: string, workspace: string, file: string): string {
  const absolute = path.resolve(workingDirectory, file);
  const relative = path.relative(workspace, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return relative.split(path.sep).join('/');
}

function scrubProperties(
  properties: AnnotationProperties,
  scrub: (text: string) => string,
): AnnotationProperties {
  return { ...properties, ...(properties.title ? { title: scrub(properties.title) } : {}) };
}
