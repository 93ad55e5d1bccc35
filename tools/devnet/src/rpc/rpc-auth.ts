import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** RPC credentials: user name and password for HTTP basic auth. */
export interface RpcCredentials {
  user: string;
  password: string;
}

/** The user name bitcoind writes into its cookie file. */
export const COOKIE_USER = '__cookie__';

/**
 * True when an `Authorization` header carries exactly `credentials` as
 * HTTP basic auth (compared in constant time).
 *
 * @see RFC 7617; Bitcoin Core src/httprpc.cpp (RPCAuthorized)
 */
export function isAuthorized(header: string | undefined, credentials: RpcCredentials): boolean {
  if (!header || !header.startsWith('Basic ')) return false;
  const given = Buffer.from(Buffer.from(header.slice(6).trim(), 'base64').toString('utf8'));
  const expected = Buffer.from(`${credentials.user}:${credentials.password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Writes bitcoind's cookie file `<datadir>/.cookie` containing
 * `__cookie__:<64 hex digits>` (32 random bytes; no newline; mode 0600),
 * through a temporary file renamed into place, creating `datadir` if needed.
 *
 * @returns the file's path and the credentials it holds
 * @see Bitcoin Core src/rpc/request.cpp (GenerateAuthCookie)
 */
export async function writeCookieFile(datadir: string): Promise<{ path: string; credentials: RpcCredentials }> {
  await mkdir(datadir, { recursive: true });
  const credentials = { user: COOKIE_USER, password: randomBytes(32).toString('hex') };
  const path = join(datadir, '.cookie');
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${credentials.user}:${credentials.password}`, { mode: 0o600 });
  await rename(temporary, path);
  return { path, credentials };
}

/** Deletes a cookie file written by {@link writeCookieFile} (bitcoind deletes it on shutdown). */
export async function removeCookieFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
