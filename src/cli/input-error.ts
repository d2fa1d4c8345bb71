import type { InputError } from '../errors.js';
import { INPUT_DEFAULTS } from '../inputs/definitions.js';
import { flagForInput } from './options.js';

/**
 * An input error in the words of the command line: the action's messages name inputs
 * (`tail-lines`), which a user of `k98-diagnostics` never typed, so the flag (`--max-tail`)
 * is named instead, in the first words and in the advice after them.
 */
export function cliInputMessage(error: InputError): string {
  // An argument is named as the usage line shows it (FILE).
  const name = flagForInput(error.input) ?? (/^[A-Z]+$/.test(error.input) ? error.input : '');
  if (!name) return error.message;
  return `${name} has an invalid value '${error.value}': ${withFlags(error.allowed)}`;
}

// Only hyphenated names are swapped: `output` or `upload` are also plain words in advice.
const HYPHENATED_INPUTS = Object.keys(INPUT_DEFAULTS)
  .filter((name) => name.includes('-') && flagForInput(name))
  .sort((a, b) => b.length - a.length);
const INPUT_NAME = new RegExp(`(?<![\\w-])(${HYPHENATED_INPUTS.join('|')})(?![\\w-])`, 'g');

function withFlags(advice: string): string {
  return advice.replace(INPUT_NAME, (name) => flagForInput(name) ?? name);
}
