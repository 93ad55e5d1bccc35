// Test support: a JanushashVerifier without Janushash, for the pure parts.
// It accepts every header whose nonce is not ffffffff and records its calls.
import type { JanushashVerifier } from '../verify/janushash-verifier';

/** The nonce the fake refuses. */
export const FAKE_BAD_NONCE = Buffer.from('ffffffff', 'hex');

/** A verifier that refuses only headers ending in {@link FAKE_BAD_NONCE}. */
export class FakeJanushashVerifier implements JanushashVerifier {
  /** every call, as [header hex, targetV2] */
  readonly calls: Array<[string, number]> = [];

  checkTarget(header: Buffer, targetV2: number): boolean {
    this.calls.push([header.toString('hex'), targetV2]);
    return !header.subarray(76, 80).equals(FAKE_BAD_NONCE);
  }
}
