import type { CoinTemplate } from '@lode/plugin-api';
import { targetFromCompact } from '@lode/mining';
import type { BitcoinBlockTemplate } from '../rpc/block-template';

/**
 * Reduces a getblocktemplate result to the engine's CoinTemplate: height,
 * previous hash (display hex, as bitcoind prints it), and the network target
 * from `target` (64 hex digits) or, when absent, from the compact `bits`.
 * `raw` keeps the whole result for createJob.
 */
export function toCoinTemplate(template: BitcoinBlockTemplate): CoinTemplate {
  const networkTarget =
    template.target !== undefined ? BigInt(`0x${template.target}`) : targetFromCompact(parseInt(template.bits, 16));
  return {
    height: template.height,
    prevHash: template.previousblockhash.toLowerCase(),
    networkTarget,
    raw: template,
  };
}
