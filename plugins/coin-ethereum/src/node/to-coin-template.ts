import type { CoinTemplate } from '@lode/plugin-api';
import type { EthWork } from '../rpc/eth-work';
import type { EthTemplateRaw } from './eth-template-raw';

/**
 * The CoinTemplate of one `eth_getWork` answer for block `height`.
 *
 * `prevHash` is `height - 1` as 64 hex digits, not the parent's hash:
 * eth_getWork gives no parent hash, and the engine only needs a value that
 * changes with the previous block (a new height) to tell new work from a
 * refresh. `networkTarget` is the boundary; `raw` is an EthTemplateRaw.
 *
 * @param work the decoded eth_getWork answer
 * @param height the block number being mined (work.height, or head + 1)
 * @see facts/ethash.md §1.1, §5.3
 */
export function toCoinTemplate(work: EthWork, height: number): CoinTemplate {
  const raw: EthTemplateRaw = {
    headerHash: work.headerHash,
    seedHash: work.seedHash,
    boundary: work.boundary.toString(16).padStart(64, '0'),
    height,
  };
  return {
    height,
    prevHash: Math.max(0, height - 1).toString(16).padStart(64, '0'),
    networkTarget: work.boundary,
    raw,
  };
}
