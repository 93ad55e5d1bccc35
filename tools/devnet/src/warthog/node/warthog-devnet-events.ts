import type { WarthogNodeErrorName } from '../chain/node-errors';

/** `/chain/append` appended a block. Hex strings have no "0x". */
export interface WarthogBlockEvent {
  height: number;
  /** sha256d of the header, digest order */
  hash: string;
  prevHash: string;
  /** 8 hex digits: header[76..80] */
  nonce: string;
  /** header[72..76], seconds */
  timestamp: number;
  /** body[0..10]: extranonce1 ‖ extranonce2, 20 hex digits */
  extranonce: string;
  /** the reward's account id */
  accountId: string;
}

/** `/chain/append` refused a block: the node's error name, code and message, and what exactly failed. */
export interface WarthogRejectedEvent {
  name: WarthogNodeErrorName;
  code: number;
  error: string;
  detail: string;
  /** the height the request named, when it had one */
  height?: number;
  /** sha256d of the header, when the header was 80 bytes */
  hash?: string;
}

/** The node appended its `maxBlocks`-th block. */
export interface WarthogMaxBlocksEvent {
  blocks: number;
}

/**
 * The events a Warthog devnet node emits, as a typed node:events map:
 * `block`, `rejected`, `max-blocks`.
 */
export interface WarthogDevnetEventMap {
  block: [WarthogBlockEvent];
  rejected: [WarthogRejectedEvent];
  'max-blocks': [WarthogMaxBlocksEvent];
}
