import type { OutputName } from '../inputs/definitions.js';
import type { PipelineResult } from '../pipeline.js';

/** The action's outputs from one run: archive, outcomes, and what each destination set. */
export function pipelineOutputs(result: PipelineResult): Partial<Record<OutputName, string>> {
  const outcome = (name: string): string =>
    result.commands.find((command) => command.name === name)?.outcome ?? 'skipped';
  const outputs: Partial<Record<OutputName, string>> = {
    'smoke-outcome': outcome('smoke'),
    'tests-outcome': outcome('tests'),
    uploaded: result.uploads
      .filter((upload) => upload.ok)
      .map((upload) => upload.destination)
      .join(','),
  };
  if (result.bundle) {
    outputs['archive-path'] = result.bundle.archivePath;
    outputs['archive-sha256'] = result.bundle.sha256;
    outputs['archive-size'] = String(result.bundle.size);
    outputs['bundle-entries'] = String(result.bundle.entryCount);
  }
  for (const upload of result.uploads) Object.assign(outputs, upload.outputs);
  return outputs;
}
