import type { Reporter } from './reporter.js';

/**
 * The reporter used by the CLI on an on-call host: plain lines, warnings and errors on
 * stderr, debug only with K98_DEBUG=1. Secrets are still replaced before printing.
 */
export function consoleReporter(debugEnabled = process.env.K98_DEBUG === '1'): Reporter {
  const secrets: string[] = [];
  const mask = (text: string): string =>
    secrets.reduce((masked, secret) => masked.split(secret).join('***'), text);

  return {
    info: (message) => process.stdout.write(`${mask(message)}\n`),
    debug: (message) => {
      if (debugEnabled) process.stderr.write(`debug: ${mask(message)}\n`);
    },
    warning: (message) => process.stderr.write(`warning: ${mask(message)}\n`),
    error: (message) => process.stderr.write(`error: ${mask(message)}\n`),
    startGroup: (title) => process.stdout.write(`== ${mask(title)}\n`),
    endGroup: () => undefined,
    setSecret: (value) => {
      if (value) secrets.push(value);
    },
  };
}
