import { randomBytes } from 'node:crypto';

/** A fresh session id: 8 random bytes as 16 lower-case hex digits. Internal. */
export function newSessionId(): string {
  return randomBytes(8).toString('hex');
}
