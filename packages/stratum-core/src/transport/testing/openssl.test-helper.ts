import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and key written by the openssl CLI. */
export interface OpensslCert {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
  /** SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` prints it ("AB:CD:...") */
  fingerprint256: string;
}

/** A self-signed P-256 certificate for CN `cn`, valid 2 days, as `<dir>/<name>-cert.pem` and `<name>-key.pem`. */
export function selfSignedCert(dir: string, name: string, cn: string): OpensslCert {
  const certFile = join(dir, `${name}-cert.pem`);
  const keyFile = join(dir, `${name}-key.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-keyout', keyFile, '-out', certFile],
    { stdio: 'pipe' },
  );
  const printed = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  const fingerprint256 = printed.trim().split('=').pop() as string;
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile), fingerprint256 };
}
