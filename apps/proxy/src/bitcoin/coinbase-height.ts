/** Byte offset of the coinbase scriptSig length in a Stratum v1 coinb1: version 4, input count 1, prevout 32 + 4. */
const SCRIPT_LENGTH_OFFSET = 41;

/**
 * The block height a Stratum v1 job builds, read from the BIP 34 push that
 * starts the coinbase scriptSig in `coinb1` (the non-witness coinbase up to
 * extranonce1): OP_0, OP_1..OP_16, or a push of 1..8 bytes little-endian.
 *
 * @param coinb1 hex, as mining.notify sends it
 * @returns the height, or undefined when coinb1 is too short or does not
 *   start its scriptSig with a height push (a pool before BIP 34, an altcoin)
 * @see BIP 34; facts/bitcoin-blocks.md (coinbase layout)
 */
export function coinbaseHeight(coinb1: string): number | undefined {
  if (!/^([0-9a-f]{2})*$/i.test(coinb1)) return undefined;
  const bytes = Buffer.from(coinb1, 'hex');
  if (bytes.length < SCRIPT_LENGTH_OFFSET + 2 || bytes[4] !== 1) return undefined;
  // A scriptSig of 100 bytes at most: its length is a one-byte varint.
  if (bytes[SCRIPT_LENGTH_OFFSET] >= 0xfd) return undefined;
  const op = bytes[SCRIPT_LENGTH_OFFSET + 1];
  if (op === 0x00) return 0;
  if (op >= 0x51 && op <= 0x60) return op - 0x50;
  if (op < 1 || op > 8) return undefined;
  const start = SCRIPT_LENGTH_OFFSET + 2;
  if (bytes.length < start + op) return undefined;
  let height = 0;
  for (let i = op - 1; i >= 0; i--) height = height * 256 + bytes[start + i];
  // The top bit of the last byte is a sign: a negative height is no height.
  if ((bytes[start + op - 1] & 0x80) !== 0) return undefined;
  return Number.isSafeInteger(height) ? height : undefined;
}
