import { LodeError, type CoinTemplate } from '@lode/plugin-api';
import type { WarthogMiningState } from '../rpc/warthog-mining-state';
import { targetV2ToBigint } from '../target-v2/target-v2-to-bigint';
import type { WarthogTemplateRaw } from './warthog-template-raw';

/**
 * The CoinTemplate of one `/chain/mine` answer.
 *
 * - `height`: the height being mined;
 * - `prevHash`: header bytes 0..31 as hex (the previous block's id, digest order);
 * - `networkTarget`: targetV2ToBigint of header bytes 32..35, the exact
 *   consensus target in 2^256 units;
 * - `raw`: a WarthogTemplateRaw.
 *
 * @throws LodeError('node') for a header whose target is not a normalised TargetV2
 * @see facts/warthog.md §2, §3.1, §4.2
 */
export function toCoinTemplate(state: WarthogMiningState): CoinTemplate {
  const header = Buffer.from(state.header, 'hex');
  const nbits = header.readUInt32BE(32);
  let networkTarget: bigint;
  try {
    networkTarget = targetV2ToBigint(nbits);
  } catch (cause) {
    throw new LodeError('node', `the node's template for height ${state.height} has an unusable target: ${(cause as Error).message}`, { cause });
  }
  const raw: WarthogTemplateRaw = {
    header: state.header,
    body: state.body,
    merklePrefix: state.merklePrefix,
    difficulty: state.difficulty,
    height: state.height,
  };
  return { height: state.height, prevHash: state.header.slice(0, 64), networkTarget, raw };
}
