import { LodeError } from '@lode/plugin-api';

/** A coinbase cut into the four pieces of Stratum v1 work. */
export interface SplitCoinbase {
  coinb1: Buffer;
  /** the placeholder bytes (extranonce1 | extranonce2 in a real share) */
  extranonce: Buffer;
  coinb2: Buffer;
}

/**
 * Cuts an existing coinbase (without witness) at `offset` into
 * coinb1 | `placeholderBytes` bytes | coinb2. For tests that replay real
 * blocks, whose extranonce position is unknown (facts/bitcoin-blocks.md): any
 * cut inside the scriptSig reproduces the coinbase.
 *
 * @param coinbaseHex the coinbase, hex
 * @param offset byte offset of the cut
 * @param placeholderBytes extranonce1 + extranonce2 size
 * @throws LodeError('protocol') if the cut falls outside the coinbase
 */
export function splitCoinbase(coinbaseHex: string, offset: number, placeholderBytes: number): SplitCoinbase {
  const tx = Buffer.from(coinbaseHex, 'hex');
  if (offset < 0 || offset + placeholderBytes > tx.length) {
    throw new LodeError(
      'protocol',
      `cut at ${offset} + ${placeholderBytes} bytes falls outside a ${tx.length}-byte coinbase`,
    );
  }
  return {
    coinb1: tx.subarray(0, offset),
    extranonce: tx.subarray(offset, offset + placeholderBytes),
    coinb2: tx.subarray(offset + placeholderBytes),
  };
}
