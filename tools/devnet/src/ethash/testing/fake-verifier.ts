// Test support: an EthashVerifier without ethash, for the pure parts.
// seed(e) = 32 zero bytes for e = 0, else SHA-256("seed" ‖ e); mix =
// SHA-256("mix" ‖ sealHash ‖ nonce); final = SHA-256("final" ‖ sealHash ‖ nonce).
import { createHash } from 'node:crypto';
import { epochKey } from '../chain/ethash-epoch';
import type { EthashEpoch } from '../chain/ethash-epoch';
import type { EthashPowResult, EthashVerifier } from '../verify/ethash-verifier';

const u64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};

/** A verifier whose hashes are SHA-256 stand-ins; it records what the node asked of it. */
export class FakeVerifier implements EthashVerifier {
  /** every prepare(), as "epoch/seedEpoch" */
  readonly prepared: string[] = [];
  /** the argument of the last retain(), as "epoch/seedEpoch" */
  retained: string[] = [];
  /** every hash(), as "epoch/seedEpoch" */
  readonly hashedWith: string[] = [];
  /** every seedHash() */
  readonly seedEpochs: number[] = [];
  closed = false;
  /** when set, prepare() waits for it */
  gate?: Promise<void>;

  seedHash(seedEpoch: number): Buffer {
    this.seedEpochs.push(seedEpoch);
    return seedEpoch === 0 ? Buffer.alloc(32) : createHash('sha256').update(`seed${seedEpoch}`).digest();
  }

  async prepare(epoch: EthashEpoch): Promise<void> {
    this.prepared.push(epochKey(epoch));
    await this.gate;
  }

  retain(epochs: readonly EthashEpoch[]): void {
    this.retained = epochs.map(epochKey);
  }

  async hash(epoch: EthashEpoch, sealHash: Buffer, nonce: bigint): Promise<EthashPowResult> {
    this.hashedWith.push(epochKey(epoch));
    return fakePow(sealHash, nonce);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** The fake's proof of work for (sealHash, nonce). */
export function fakePow(sealHash: Buffer, nonce: bigint): EthashPowResult {
  return {
    mix: createHash('sha256').update('mix').update(sealHash).update(u64(nonce)).digest(),
    final: createHash('sha256').update('final').update(sealHash).update(u64(nonce)).digest(),
  };
}

/** The first nonce from `start` whose fake final hash is <= `boundary` (`below` true) or above it (`below` false). */
export function fakeNonce(sealHash: Buffer, boundary: bigint, below = true, start = 0n): bigint {
  for (let nonce = start; ; nonce++) {
    const final = BigInt(`0x${fakePow(sealHash, nonce).final.toString('hex')}`);
    if (final <= boundary === below) return nonce;
  }
}
