/**
 * A problem with what the user asked for: reported before anything runs. The value is shown
 * without the password of a URL (`https://bot:***@host`): a wrong URL is still a secret's.
 */
export class InputError extends Error {
  readonly value: string;

  constructor(
    readonly input: string,
    value: string,
    readonly allowed: string,
  ) {
    const shown = value.replace(/(:\/\/[^\s/@:]*:)[^\s/]*@/g, '$1***@');
    super(`Input '${input}' has an invalid value '${shown}': ${allowed}`);
    this.name = 'InputError';
    this.value = shown;
  }
}

/** Turns anything thrown into one line of text a user can read. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const text = error.message || error.name;
    return code && !text.includes(code) ? `${text} (${code})` : text;
  }
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
