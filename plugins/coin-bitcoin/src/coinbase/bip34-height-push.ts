import { LodeError } from '@lode/plugin-api';

const OP_0 = 0x00;
const OP_1 = 0x51;

/**
 * The BIP 34 height prefix of a coinbase scriptSig, byte for byte as Bitcoin
 * Core writes `CScript() << nHeight` (script.h `push_int64`): 0 -> OP_0,
 * 1..16 -> OP_1..OP_16, otherwise a direct push of the minimal little-endian
 * CScriptNum (a 0x00 byte is appended when the top byte has bit 7 set, so the
 * number stays positive).
 *
 * Core's block check compares the scriptSig prefix with exactly these bytes,
 * so a pool must not "normalise" small heights to explicit pushes (regtest
 * enforces BIP 34 from height 1).
 *
 * @example bip34HeightPush(1263442) -> 03 52 47 13 (facts/bitcoin-blocks.md, testnet3 1263442)
 * @param height block height, integer in [0, 2^31)
 * @throws LodeError('node') for a height outside that range
 * @see BIP 34; Bitcoin Core src/script/script.h (push_int64, CScriptNum::serialize)
 */
export function bip34HeightPush(height: number): Buffer {
  if (!Number.isInteger(height) || height < 0 || height > 0x7fffffff) {
    throw new LodeError('node', `block height ${height} is not an integer in [0, 2^31)`);
  }
  if (height === 0) return Buffer.from([OP_0]);
  if (height <= 16) return Buffer.from([OP_1 - 1 + height]);
  const num: number[] = [];
  for (let rest = height; rest > 0; rest = Math.floor(rest / 256)) num.push(rest % 256);
  if ((num[num.length - 1] & 0x80) !== 0) num.push(0x00);
  return Buffer.from([num.length, ...num]);
}
