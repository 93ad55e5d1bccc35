import { decodeHex } from '../encoding/hex';

/**
 * Display hash (as RPC and explorers print it) -> `mining.notify` prevhash:
 * the 8 groups of 8 hex digits in reverse order (equivalently, the header's
 * 32 bytes with each 4-byte word byte-swapped).
 *
 * @example 00000000000008a3…ab02cd81 -> ab02cd818b9e567e…000008a300000000 (block 125551)
 * @param displayHex 64 hex digits
 * @returns 64 hex digits, lower case
 * @throws LodeError('protocol') if the input is not 32 bytes of hex
 * @see facts/bitcoin-stratum.md rule 3
 */
export function prevhashToStratum(displayHex: string): string {
  decodeHex(displayHex, 'previous block hash', 32);
  const groups = displayHex.toLowerCase().match(/.{8}/g) as string[];
  return groups.reverse().join('');
}

/**
 * `mining.notify` prevhash -> the 32 bytes the header stores: each 4-byte
 * word byte-swapped.
 *
 * @param stratumHex 64 hex digits
 * @returns 32 raw bytes
 * @throws LodeError('protocol') if the input is not 32 bytes of hex
 * @see facts/bitcoin-stratum.md rule 3
 */
export function stratumToPrevhashBytes(stratumHex: string): Buffer {
  return decodeHex(stratumHex, 'prevhash', 32).swap32();
}

/**
 * Display hash -> the 32 bytes the header stores (the display hex reversed).
 *
 * @throws LodeError('protocol') if the input is not 32 bytes of hex
 */
export function displayToPrevhashBytes(displayHex: string): Buffer {
  return decodeHex(displayHex, 'previous block hash', 32).reverse();
}
