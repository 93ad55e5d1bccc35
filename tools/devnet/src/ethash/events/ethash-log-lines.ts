import type {
  EthashBlockEvent,
  EthashCacheEvent,
  EthashHashrateEvent,
  EthashRejectedEvent,
  EthashWarningEvent,
  EthashWorkEvent,
} from '../node/ethash-devnet-events';
import type { EthashAlgo } from '../chain/ethash-epoch';

/**
 * Everything the ethash devnet prints, one line each. As text (greppable,
 * always starting "devnet: "):
 *
 * - `devnet: ethash listening on http://127.0.0.1:8545 (difficulty 1000, next block 1, epoch 0)`
 * - `devnet: light cache for epoch 1 ready (seed 0x290d…e563) in 1.4 s`
 * - `devnet: new work 6 0x<seal hash> (after block)` (or `(start)`, `(refresh)`)
 * - `devnet: block 5 accepted 0x<seal hash> nonce 0x<16 hex> (hash 0x<block hash>)`
 * - `devnet: side block 5 accepted 0x<seal hash> nonce 0x<16 hex> (not on the head)`
 * - `devnet: work rejected: invalid mix digest (seal hash 0x…, nonce 0x…)`
 * - `devnet: hashrate 1.2 kH/s from 0x<id>`
 * - `devnet: warning: …`
 * - `devnet: reached --max-blocks 5, stopping`
 * - `devnet: stopped`
 *
 * As JSON (`--json`), one object per line with `event` set to listening,
 * cache, work, block, rejected, hashrate, warning, max-blocks or stopped and
 * the fields of the event.
 */
export type EthashLogEvent =
  | { event: 'listening'; url: string; algo: EthashAlgo; difficulty: string; height: number; epoch: number }
  | ({ event: 'cache' } & EthashCacheEvent)
  | ({ event: 'work' } & EthashWorkEvent)
  | ({ event: 'block' } & EthashBlockEvent)
  | ({ event: 'rejected' } & EthashRejectedEvent)
  | ({ event: 'hashrate' } & EthashHashrateEvent)
  | ({ event: 'warning' } & EthashWarningEvent)
  | { event: 'max-blocks'; blocks: number }
  | { event: 'stopped' };

const UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s', 'EH/s'];

/** A hashrate with a unit: "200 H/s", "1.2 kH/s", "3.5 MH/s". */
export function formatHashrate(hashesPerSecond: number): string {
  let value = hashesPerSecond;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} H/s` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

const short = (hex: string): string => (hex.length > 14 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex);

function text(e: EthashLogEvent): string {
  switch (e.event) {
    case 'listening':
      return `${e.algo} listening on ${e.url} (difficulty ${e.difficulty}, next block ${e.height}, epoch ${e.epoch})`;
    case 'cache':
      return `light cache for epoch ${e.epoch} ready (seed ${short(e.seedHash)}) in ${(e.ms / 1000).toFixed(1)} s`;
    case 'work':
      return `new work ${e.height} ${e.sealHash} (${e.reason === 'block' ? 'after block' : e.reason})`;
    case 'block':
      return e.canonical
        ? `block ${e.height} accepted ${e.sealHash} nonce ${e.nonce} (hash ${e.hash})`
        : `side block ${e.height} accepted ${e.sealHash} nonce ${e.nonce} (not on the head)`;
    case 'rejected':
      return `work rejected: ${e.reason} (seal hash ${e.sealHash}, nonce ${e.nonce})`;
    case 'hashrate':
      return `hashrate ${formatHashrate(e.hashrate)} from ${e.id}`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'max-blocks':
      return `reached --max-blocks ${e.blocks}, stopping`;
    case 'stopped':
      return 'stopped';
  }
}

/**
 * One log line for an ethash devnet event: "devnet: …" text, or a JSON
 * object when `json`. See {@link EthashLogEvent} for every line.
 */
export function formatEthashLogLine(event: EthashLogEvent, json: boolean): string {
  return json ? JSON.stringify(event) : `devnet: ${text(event)}`;
}
