import { execFile } from 'node:child_process';

import { findOnPath } from '../run/shell.js';

/** meta/service_status.txt: `systemctl status` of the bot's unit on an on-call host. */
export async function serviceStatus(unit: string): Promise<string> {
  const systemctl = findOnPath('systemctl');
  if (!systemctl) return `systemctl was not found on this host; no status for ${unit}\n`;

  const args = ['status', unit, '--no-pager', '--full', '--lines=200'];
  return new Promise((resolve) => {
    execFile(
      systemctl,
      args,
      { timeout: 15_000, maxBuffer: 4 * 1024 * 1024 },
      (error, out, err) => {
        // systemctl status exits 3 for a stopped unit: its output is still the answer.
        const note = error && !out ? `systemctl status failed: ${error.message}\n` : '';
        resolve(`$ systemctl ${args.join(' ')}\n${out}${err}${note}`);
      },
    );
  });
}
