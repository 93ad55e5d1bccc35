import type { WarthogBlockEvent, WarthogRejectedEvent } from '../node/warthog-devnet-events';

/**
 * Everything the Warthog devnet prints, one line each. As text (greppable,
 * always starting "devnet: "):
 *
 * - `devnet: warthog listening on http://127.0.0.1:3000 (difficulty 5000000.296840899, target 05b5afe5, next block 2000001)`
 * - `devnet: block 2000001 accepted <hash> nonce <8 hex> (extranonce <20 hex>)`
 * - `devnet: block rejected: bad proof of work (height 2000001, hash <hash>: <detail>)`
 * - `devnet: reached --max-blocks 5, stopping`
 * - `devnet: stopped`
 *
 * As JSON (`--json`), one object per line with `event` set to listening,
 * block, rejected, max-blocks or stopped and the fields of the event.
 */
export type WarthogLogEvent =
  | { event: 'listening'; url: string; difficulty: number; target: string; height: number }
  | ({ event: 'block' } & WarthogBlockEvent)
  | ({ event: 'rejected' } & WarthogRejectedEvent)
  | { event: 'max-blocks'; blocks: number }
  | { event: 'stopped' };

function rejectedText(e: WarthogRejectedEvent): string {
  const where = [e.height === undefined ? undefined : `height ${e.height}`, e.hash === undefined ? undefined : `hash ${e.hash}`].filter((x) => x !== undefined).join(', ');
  return `block rejected: ${e.error} (${where ? `${where}: ` : ''}${e.detail})`;
}

function text(e: WarthogLogEvent): string {
  switch (e.event) {
    case 'listening':
      return `warthog listening on ${e.url} (difficulty ${e.difficulty}, target ${e.target}, next block ${e.height})`;
    case 'block':
      return `block ${e.height} accepted ${e.hash} nonce ${e.nonce} (extranonce ${e.extranonce})`;
    case 'rejected':
      return rejectedText(e);
    case 'max-blocks':
      return `reached --max-blocks ${e.blocks}, stopping`;
    case 'stopped':
      return 'stopped';
  }
}

/**
 * One log line for a Warthog devnet event: "devnet: …" text, or a JSON
 * object when `json`. See {@link WarthogLogEvent} for every line.
 */
export function formatWarthogLogLine(event: WarthogLogEvent, json: boolean): string {
  return json ? JSON.stringify(event) : `devnet: ${text(event)}`;
}
