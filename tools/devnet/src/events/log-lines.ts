import type { BlockAcceptedEvent, BlockRejectedEvent, DevnetWarningEvent, MempoolRefreshedEvent } from '../node/devnet-events';

/**
 * Everything the CLI prints, one line each. As text (greppable, always
 * starting "devnet: "):
 *
 * - `devnet: listening on http://127.0.0.1:18443`
 * - `devnet: cookie file /path/.cookie`
 * - `devnet: block 3 accepted 0000…abcd by coinbase tag /Lode/ (2 txs)`
 * - `devnet: block rejected: high-hash (block 0000…abcd)`
 * - `devnet: mempool refreshed: 2 txs, longpollid 0000…abcd7`
 * - `devnet: warning: …`
 * - `devnet: reached --max-blocks 5, stopping`
 * - `devnet: stopped`
 *
 * As JSON (`--json`), one object per line with `event` set to listening,
 * cookie, block, rejected, mempool, warning, max-blocks or stopped and the
 * fields of the event.
 */
export type DevnetLogEvent =
  | { event: 'listening'; url: string }
  | { event: 'cookie'; path: string }
  | ({ event: 'block' } & BlockAcceptedEvent)
  | ({ event: 'rejected' } & BlockRejectedEvent)
  | ({ event: 'mempool' } & MempoolRefreshedEvent)
  | ({ event: 'warning' } & DevnetWarningEvent)
  | { event: 'max-blocks'; blocks: number }
  | { event: 'stopped' };

function text(e: DevnetLogEvent): string {
  switch (e.event) {
    case 'listening':
      return `listening on ${e.url}`;
    case 'cookie':
      return `cookie file ${e.path}`;
    case 'block':
      return `block ${e.height} accepted ${e.hash} by coinbase tag ${e.coinbaseTag || '(none)'} (${e.txCount} txs)`;
    case 'rejected':
      return `block rejected: ${e.reason}${e.hash ? ` (block ${e.hash})` : ''}`;
    case 'mempool':
      return `mempool refreshed: ${e.transactions} txs, longpollid ${e.longpollid}`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'max-blocks':
      return `reached --max-blocks ${e.blocks}, stopping`;
    case 'stopped':
      return 'stopped';
  }
}

/**
 * One log line for an event: "devnet: …" text, or a JSON object when `json`.
 * See {@link DevnetLogEvent} for every line.
 */
export function formatLogLine(event: DevnetLogEvent, json: boolean): string {
  return json ? JSON.stringify(event) : `devnet: ${text(event)}`;
}
