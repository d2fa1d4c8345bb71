import { isSensitiveVariable } from '../redact/secrets.js';
import { REDACTED } from '../redact/patterns.js';

/**
 * meta/env.txt: the environment sorted by name, one NAME=value a line. Secret values are
 * replaced whole; line breaks inside a value are written as \n so each variable is one line.
 */
export function renderEnvironment(env: NodeJS.ProcessEnv, extraSecretNames: string[]): string {
  const lines = Object.keys(env)
    .sort()
    .map((name) => {
      const value = env[name] ?? '';
      const shown = isSensitiveVariable(name, value, extraSecretNames) ? REDACTED : value;
      return `${name}=${shown.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}`;
    });
  return `${lines.join('\n')}\n`;
}
