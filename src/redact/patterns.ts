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
  /**
   * Set for a pattern that matches whole lines only (`^…$` with the m flag): the scrubber
   * then tests just the lines of a length in this range, which costs a quarter of running
   * the regex at every position of the text.
   */
  lineLength?: { min: number; max: number };
  /**
   * Set for a pattern (`^…` with the m flag) whose match is a line and the start of the next
   * line, which holds this text: the scrubber runs the regex only from the line before each
   * place the text occurs, not at every position of the text.
   */
  nextLineHolds?: string;
}

export const REDACTED = '[REDACTED]';

/**
 * `start` where a token may begin: at a word boundary, or right after a JSON escape (`\n`,
 * `\t`) or a percent-escaped byte (`%FF`, as escaped file names have it), both of which end
 * in a word character. The look back is made only where `start` matched: tried at every
 * position, it made these patterns six times slower.
 */
function tokenStart(start: string): string {
  return String.raw`${start}(?<=(?:^|[^A-Za-z0-9_]|\\[nrt]|%[0-9A-Fa-f]{2})${start})`;
}

export const CREDENTIAL_PATTERNS: CredentialPattern[] = [
  {
    // The body holds no '-' (base64, line breaks, JSON-escaped \n): a run of BEGIN lines
    // without END costs one short scan each, not a scan to the end of the text. An encrypted
    // key's headers (Proc-Type, DEK-Info) are whole lines: each ends at a line break.
    name: 'private-key',
    // PGP's armored `PRIVATE KEY BLOCK` is one too, with its Version or Comment lines: eight
    // header lines at most, or BEGIN lines without an END cost time growing with their square.
    regex: new RegExp(
      '-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----' +
        '(?:(?:\\s|\\\\[rn])*(?:Proc-Type|DEK-Info|Version|Comment|Hash|Charset):' +
        '[^\\r\\n\\\\]*(?=[\\r\\n\\\\])){0,8}' +
        '[A-Za-z0-9+/=\\s\\\\]*-----END \\1PRIVATE KEY\\2-----',
      'g',
    ),
  },
  {
    // Body lines of a key block cut in two (an excerpt, a cut file): a line of 60-76 base64
    // characters with both cases is a key line, also indented (a YAML block) or followed by
    // spaces. The length range is that of the line without those spaces.
    name: 'private-key-line',
    regex:
      /^[ \t]*(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{60,76}={0,2}[ \t]*\r?$/gm,
    lineLength: { min: 60, max: 79 },
  },
  {
    // The last body line of a key is short (any length): the END line right after it tells.
    // Indentation, trailing spaces, the line break and the END line itself are kept.
    name: 'private-key-last-line',
    regex: new RegExp(
      '^([ \\t]*)[A-Za-z0-9+/]+={0,2}' +
        '([ \\t]*(?:\\r\\n?|\\n)[ \\t]*-----END [A-Z0-9 ]*PRIVATE KEY-----)',
      'gm',
    ),
    keep: 1,
    keepAfter: 2,
    // Rarer in logs than '-----END ' (dates hold '-'): found 8 times faster.
    nextLineHolds: 'PRIVATE KEY-----',
  },
  // Prefixed tokens are matched wherever they start: after a JSON `\n` or inside an escaped
  // file name (`%FFghp_…`) a word character comes right before them.
  { name: 'github-token', regex: /(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g },
  { name: 'github-pat', regex: /github_pat_[A-Za-z0-9_]{40,}/g },
  {
    name: 'aws-access-key-id',
    regex: new RegExp(
      `${tokenStart('(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|AIPA)')}[A-Z0-9]{16}\\b`,
      'g',
    ),
  },
  {
    name: 'aws-secret-key',
    regex: /((?:aws_?secret_?access_?key|SecretAccessKey)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+]{40}/gi,
    keep: 1,
  },
  { name: 'jwt', regex: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
  {
    // The first part is a user id in base64: ids are decimal strings starting 1-9, which
    // always encode to M, N or O. Starting on that letter keeps the scan fast.
    name: 'discord-token',
    regex: new RegExp(
      `${tokenStart('[MNO]')}[A-Za-z0-9_-]{22,27}\\.[A-Za-z0-9_-]{6,7}\\.[A-Za-z0-9_-]{27,40}\\b`,
      'g',
    ),
  },
  {
    name: 'authorization-header',
    regex: /(\b(?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/-]{8,}=*/g,
    keep: 1,
  },
  {
    // Starts at the literal `://` (fast to find); the scheme before it is left alone.
    // The user may be empty (`redis://:pw@host`); a raw `@` in the password belongs to it.
    name: 'url-password',
    regex: /(:\/\/[^\s:@/"']*:)[^\s/"']+(@)/g,
    keep: 1,
    keepAfter: 2,
  },
  {
    // A webhook's URL is its credential: anyone holding it can post as the bot.
    name: 'discord-webhook',
    regex: /(discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d+\/)[A-Za-z0-9_-]{20,}/g,
    keep: 1,
  },
  {
    name: 'cookie-header',
    regex: /(\b(?:Set-)?Cookie:[ \t]*)[^\r\n]+/gi,
    keep: 1,
  },
  {
    // Also names that end or start with the word: db_password=, bot_token=, secret_key=,
    // "apiToken": "…".
    name: 'assignment',
    // The names are factored by shared prefix (pass…, …key): case-insensitive alternatives are
    // tried at every position, and fewer of them made this pattern 2.5× faster on bot logs.
    // `pwd` only ends a name (MYSQL_PWD, db_pwd): the shell's PWD=/srv/k98 is no secret.
    // The rest of a name is at most 40 characters: unbounded, a long run of word characters
    // holding the names many times (`tokentoken…`) cost time growing with its square.
    // `==` compares (`if password == confirm`); `=>` assigns (`token => …`).
    // Quotes may be JSON-escaped (`{\"password\": \"…\"}` in a JSON log line). A quoted value
    // runs to its closing quote, spaces and escaped quotes included; a bare one to a space or
    // a separator.
    regex: new RegExp(
      '((?:pass(?:word|wd|phrase)|[_-]pwd|token|secret' +
        '|(?:api|access|account)[_-]?key)' +
        `[A-Za-z0-9_-]{0,40}(?:\\\\?["'])?\\s*(?:=>|[:=](?!=))\\s*(?:\\\\"|"|')?)` +
        '((?<=\\\\")(?:[^"\\\\\\r\\n]|\\\\[^"\\r\\n])+' +
        '|(?<=[^\\\\]")(?:[^"\\\\\\r\\n]|\\\\[^\\r\\n])+' +
        "|(?<=')[^'\\r\\n]+" +
        `|(?<!["'])[^\\s"',;&\\]{}]+)`,
      'gi',
    ),
    keep: 1,
  },
];

/** Values an `assignment` match leaves alone: not secrets, or already redacted. */
export function isHarmlessAssignment(value: string): boolean {
  return /^(\d{1,7}|true|false|null|none|\*+)$/i.test(value) || value.startsWith('[REDACTED');
}
