import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and its key as PEM files, with the SHA-256 fingerprint openssl prints ("AB:CD:..."). */
export interface PemPair {
  certFile: string;
  keyFile: string;
  fingerprint256: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function fingerprint(certFile: string): string {
  return openssl(['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256']).trim().split('=').pop() as string;
}

/** A self-signed CA (P-256, 2 days) as `<dir>/<name>.pem` and `<name>-key.pem`. */
export function makeCa(dir: string, name: string): PemPair {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}-key.pem`);
  openssl([
    'req', '-x509', ...EC_KEY, '-days', '2', '-subj', `/CN=Lode e2e ${name}`, '-keyout', keyFile, '-out', certFile,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { certFile, keyFile, fingerprint256: fingerprint(certFile) };
}

/**
 * A server certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1, serverAuth)
 * signed by `ca`, as `<dir>/<name>.pem` and `<name>-key.pem`.
 */
export function makeLeaf(dir: string, name: string, ca: PemPair): PemPair {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}-key.pem`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl(['req', '-new', ...EC_KEY, '-subj', `/CN=lode e2e ${name}`, '-keyout', keyFile, '-out', csr]);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', `0x${Date.now().toString(16)}`, '-days', '2', '-extfile', ext, '-out', certFile]);
  return { certFile, keyFile, fingerprint256: fingerprint(certFile) };
}
