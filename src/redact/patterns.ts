/**
 * Shapes of well-known credentials. Each pattern's `keep` group (when set) is the part left
 * in place, so a reader still sees `Authorization: Bearer [REDACTED]` or `password=[REDACTED]`.
 * Patterns run on latin1 text (one character per byte), so they never break invalid UTF-8.
 */
export interface CredentialPattern {
  name: string;
  regex: RegExp;
  /** Capture group kept before the redaction mark. */
  keep?: number;
  /** Capture group kept after the redaction mark. */
  keepAfter?: number;
}

export const REDACTED = '[REDACTED]';

export const CREDENTIAL_PATTERNS: CredentialPattern[] = [
  {
    name: 'private-key',
    regex: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g,
  },
  { name: 'github-token', regex: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g },
  { name: 'github-pat', regex: /\bgithub_pat_[A-Za-z0-9_]{40,}/g },
  { name: 'aws-access-key-id', regex: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|AIPA)[A-Z0-9]{16}\b/g },
  {
    name: 'aws-secret-key',
    regex: /((?:aws_?secret_?access_?key|SecretAccessKey)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+]{40}/gi,
    keep: 1,
  },
  { name: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
  {
    name: 'discord-token',
    regex: /\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}\b/g,
  },
  {
    name: 'authorization-header',
    regex: /(\b(?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/-]{8,}=*/g,
    keep: 1,
  },
  {
    name: 'url-password',
    regex: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/"']+:)[^\s@/"']+(@)/gi,
    keep: 1,
    keepAfter: 2,
  },
  {
    name: 'assignment',
    regex:
      /(\b(?:password|passwd|token|secret|api[_-]?key|access[_-]?token|client[_-]?secret)["']?\s*[:=]\s*["']?)([^\s"',;&[\]{}]+)/gi,
    keep: 1,
  },
];

/** Values an `assignment` match leaves alone: not secrets, or already redacted. */
export function isHarmlessAssignment(value: string): boolean {
  return /^(\d+|true|false|null|none|\*+)$/i.test(value) || value.startsWith('[REDACTED');
}
