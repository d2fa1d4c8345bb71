import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { tempDir } from './action.js';

export interface TestCertificate {
  key: string;
  cert: string;
  /** The certificate's file, for NODE_EXTRA_CA_CERTS in a child process. */
  certPath: string;
}

let made: TestCertificate | undefined;

/**
 * A throwaway self-signed certificate for localhost and 127.0.0.1, made once per test process
 * with the system openssl. A child trusts it through NODE_EXTRA_CA_CERTS=certPath.
 */
export function loopbackCertificate(): TestCertificate {
  if (made) return made;
  const directory = tempDir('k98-tls-');
  const keyPath = path.join(directory, 'key.pem');
  const certPath = path.join(directory, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'].concat(
      ['-keyout', keyPath, '-out', certPath, '-subj', '/CN=127.0.0.1'],
      ['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    ),
    { stdio: 'ignore' },
  );
  made = { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
  return made;
}
