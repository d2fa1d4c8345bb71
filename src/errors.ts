/** A problem with what the user asked for: reported before anything runs. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly value: string,
    readonly allowed: string,
  ) {
    super(`Input '${input}' has an invalid value '${value}': ${allowed}`);
    this.name = 'InputError';
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
