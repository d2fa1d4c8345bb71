/**
 * Every input of the action, with its literal default: the one place in the code that
 * names them. action.yml carries the same defaults for the runner; a test keeps the two
 * in step. An empty default means "resolved in code" (from the environment or another input).
 */
export const INPUT_DEFAULTS = {
  'working-directory': '.',
  'run-commands': 'true',
  'smoke-command': 'python scripts/smoke_imports.py',
  'test-command': 'python -m pytest',
  'timeout-minutes': '30',
  'log-dir': '',
  'data-dir': '',
  'include-logs': 'false',
  'head-lines': '250',
  'tail-lines': '2000',
  'extra-paths': '',
  service: '',
  'max-file-size': '50MiB',
  'max-bundle-size': '500MiB',
  output: '',
  'fail-on-command-failure': 'true',
  'fail-on-no-tests': 'true',
  'compression-level': '6',
  'redact-patterns': '',
  'redact-env-names': '',
  upload: 'auto',
  'upload-retries': '3',
  'upload-timeout-seconds': '300',
  'http-url': '',
  'http-token': '',
  'allow-insecure-http': 'false',
  's3-bucket': '',
  's3-prefix': '',
  's3-region': '',
  's3-endpoint': '',
  's3-force-path-style': '',
  's3-storage-class': '',
  's3-sse': '',
  's3-kms-key-id': '',
  's3-tags': '',
  's3-presign-seconds': '0',
  's3-presign-in-summary': 'false',
  's3-checksum': 'auto',
  'artifact-name': '',
  'matrix-key': '',
  'retention-days': '',
  overwrite: 'false',
  'test-report': '',
  'open-issue-on-failure': 'false',
  'close-issue-on-success': 'false',
  'github-token': '',
  'issue-labels': 'diagnostics',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

/** Inputs whose value is a credential: masked with the runner and scrubbed from the bundle. */
export const SECRET_INPUTS: readonly InputName[] = ['http-token', 'github-token'];

/** Every output the action sets. */
export const OUTPUT_NAMES = [
  'archive-path',
  'archive-sha256',
  'archive-size',
  'bundle-entries',
  'smoke-outcome',
  'tests-outcome',
  'uploaded',
  'http-location',
  's3-uri',
  's3-url',
  's3-presigned-url',
  'artifact-id',
  'artifact-url',
  'artifact-digest',
  'tests-passed',
  'tests-failed',
  'tests-skipped',
  'crash-exception',
] as const;

export type OutputName = (typeof OUTPUT_NAMES)[number];

/** The variable the runner passes an input in: `INPUT_` and the name upper-cased. */
export function inputVariable(name: InputName): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
