import { SECRET_INPUTS } from '../inputs/definitions.js';

/**
 * Names whose values are secrets (any case): the contract of meta/env.txt. A webhook URL, a
 * Sentry DSN and a connection string carry their credential inside.
 */
const SENSITIVE_NAME =
  /TOKEN|SECRET|KEY|PASS|PWD|CRED|AUTH|COOKIE|SESSION|PRIVATE|WEBHOOK|DSN|CONN(?:ECTION)?_?STR/i;

/** The shell's working directories: `PWD` names a path, and hiding it would hide every path. */
const NEVER_SECRET = ['PWD', 'OLDPWD'];

/** Always secrets, whatever their name says. */
const ALWAYS_SECRET = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'GITHUB_TOKEN'];

/** `scheme://user:password@host`; the user may be empty and the password hold a raw `@`. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^\s/]+)@/i;
const AUTH_SCHEME_VALUE = /^\s*(Bearer|Basic|Token)\s+\S+/i;

/** A variable whose value must not be shown, by its name or the look of its value. */
export function isSensitiveVariable(name: string, value: string, extraNames: string[] = []) {
  if (NEVER_SECRET.includes(name.toUpperCase())) return false;
  return (
    SENSITIVE_NAME.test(name) ||
    extraNames.some((extra) => extra.toUpperCase() === name.toUpperCase()) ||
    URL_WITH_PASSWORD.test(value) ||
    AUTH_SCHEME_VALUE.test(value)
  );
}

/**
 * Whether a value is worth scrubbing everywhere: short values, numbers and booleans would
 * turn ordinary text into [REDACTED] (XDG_SESSION_ID=3 must not redact every 3).
 */
export function isScrubbableValue(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 8) return false;
  if (/^[+-]?\d+(\.\d+)?$/.test(trimmed)) return false;
  return !/^(true|false|yes|no|on|off|null|none)$/i.test(trimmed);
}

/**
 * Every secret value the environment holds, in the forms it may appear in files: as it is,
 * JSON-escaped, line by line for multi-line values, and the password part of URLs.
 */
export function secretValues(env: NodeJS.ProcessEnv, extraNames: string[] = []): string[] {
  const secretInputs = SECRET_INPUTS.map((name) => `INPUT_${name.toUpperCase()}`);
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    const sensitive =
      isSensitiveVariable(name, value, extraNames) ||
      ALWAYS_SECRET.includes(name) ||
      secretInputs.includes(name);
    if (sensitive) for (const form of valueForms(value)) found.add(form);
  }
  return [...found].filter(isScrubbableValue).sort((a, b) => b.length - a.length);
}

function valueForms(value: string): string[] {
  const forms = [value, value.trim()];
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) forms.push(escaped);
  if (/[\r\n]/.test(value)) forms.push(...value.split(/\r?\n/).map((line) => line.trim()));
  const password = URL_WITH_PASSWORD.exec(value)?.[1];
  if (password) forms.push(password, safeDecode(password));
  return forms;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
