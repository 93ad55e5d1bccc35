import { LodeError } from '@lode/stratum-core';

/** The extranonce area at the start of a body: extranonce1 ‖ extranonce2, 10 bytes. */
export const BODY_EXTRANONCE_SIZE = 10;
/** A new address in the body: 20 bytes. */
export const BODY_ADDRESS_SIZE = 20;
/** The reward: uint64 BE account id ‖ uint64 BE amount (E8). */
export const BODY_REWARD_SIZE = 16;
/** A WART transfer: 99 bytes. */
export const BODY_TRANSFER_SIZE = 99;
/** The largest body the node takes in `/chain/append`. */
export const MAX_BODY_SIZE = 35_000;

/** The parts of a block body (heights >= 981,500). */
export interface WarthogBody {
  /** 10 bytes; zeros in a template */
  extranonce: Buffer;
  /** 20 bytes each */
  newAddresses: Buffer[];
  reward: { accountId: bigint; amountE8: bigint };
  /** 99 bytes each */
  transfers: Buffer[];
}

/**
 * Serializes a body: extranonce(10) ‖ u16 BE n1 ‖ n1 × 20-byte addresses ‖
 * reward(16) ‖ [u32 BE n3 ‖ n3 × 99-byte transfers] (the transfer section
 * is absent when there are none).
 *
 * @see facts/warthog.md §4.4 (NODE src/shared/src/block/body/view.cpp, src/node/block/body/generator.cpp)
 */
export function serializeWarthogBody(body: WarthogBody): Buffer {
  const parts: Buffer[] = [body.extranonce.subarray(0, BODY_EXTRANONCE_SIZE)];
  const n1 = Buffer.alloc(2);
  n1.writeUInt16BE(body.newAddresses.length);
  parts.push(n1, ...body.newAddresses);
  const reward = Buffer.alloc(BODY_REWARD_SIZE);
  reward.writeBigUInt64BE(body.reward.accountId, 0);
  reward.writeBigUInt64BE(body.reward.amountE8, 8);
  parts.push(reward);
  if (body.transfers.length > 0) {
    const n3 = Buffer.alloc(4);
    n3.writeUInt32BE(body.transfers.length);
    parts.push(n3, ...body.transfers);
  }
  return Buffer.concat(parts);
}

/**
 * Reads a body laid out as {@link serializeWarthogBody} writes it. Every
 * byte must be accounted for.
 *
 * @throws LodeError('protocol') naming the section that does not fit
 * @see facts/warthog.md §4.4
 */
export function parseWarthogBody(bytes: Buffer): WarthogBody {
  const fail = (what: string): never => {
    throw new LodeError('protocol', `body of ${bytes.length} bytes: ${what}`);
  };
  if (bytes.length > MAX_BODY_SIZE) fail(`more than ${MAX_BODY_SIZE} bytes`);
  if (bytes.length < BODY_EXTRANONCE_SIZE + 2 + BODY_REWARD_SIZE) fail(`shorter than the ${BODY_EXTRANONCE_SIZE + 2 + BODY_REWARD_SIZE} bytes of extranonce, address count and reward`);
  let at = BODY_EXTRANONCE_SIZE;
  const n1 = bytes.readUInt16BE(at);
  at += 2;
  if (bytes.length < at + n1 * BODY_ADDRESS_SIZE + BODY_REWARD_SIZE) fail(`${n1} new addresses and the reward do not fit`);
  const newAddresses: Buffer[] = [];
  for (let i = 0; i < n1; i++, at += BODY_ADDRESS_SIZE) newAddresses.push(Buffer.from(bytes.subarray(at, at + BODY_ADDRESS_SIZE)));
  const reward = { accountId: bytes.readBigUInt64BE(at), amountE8: bytes.readBigUInt64BE(at + 8) };
  at += BODY_REWARD_SIZE;
  const transfers: Buffer[] = [];
  if (at < bytes.length) {
    if (bytes.length < at + 4) fail('the transfer count is cut short');
    const n3 = bytes.readUInt32BE(at);
    at += 4;
    if (bytes.length - at !== n3 * BODY_TRANSFER_SIZE) fail(`${n3} transfers need ${n3 * BODY_TRANSFER_SIZE} bytes, ${bytes.length - at} remain`);
    for (let i = 0; i < n3; i++, at += BODY_TRANSFER_SIZE) transfers.push(Buffer.from(bytes.subarray(at, at + BODY_TRANSFER_SIZE)));
  }
  return { extranonce: Buffer.from(bytes.subarray(0, BODY_EXTRANONCE_SIZE)), newAddresses, reward, transfers };
}
