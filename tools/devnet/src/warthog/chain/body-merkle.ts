import { createHash } from 'node:crypto';
import { BODY_EXTRANONCE_SIZE, BODY_REWARD_SIZE } from './warthog-body';
import type { WarthogBody } from './warthog-body';

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * The merkle leaves of a body: SHA-256 of each new address, of the 16-byte
 * reward, then of each transfer.
 *
 * @see facts/warthog.md §4.4 (NODE BodyView::merkle_leaves)
 */
export function bodyMerkleLeaves(body: WarthogBody): Buffer[] {
  const reward = Buffer.alloc(BODY_REWARD_SIZE);
  reward.writeBigUInt64BE(body.reward.accountId, 0);
  reward.writeBigUInt64BE(body.reward.amountE8, 8);
  return [...body.newAddresses, reward, ...body.transfers].map((item) => sha256(item));
}

/**
 * The merkle prefix: the tree's top two nodes L ‖ R (64 bytes), or the
 * single leaf (32 bytes). Below the top, each level hashes pairs as
 * SHA-256(left ‖ right) and an odd last node alone as SHA-256(node).
 *
 * @see facts/warthog.md §4.4 (NODE BodyView::merkle_prefix)
 */
export function bodyMerklePrefix(body: WarthogBody): Buffer {
  let level = bodyMerkleLeaves(body);
  while (level.length > 2) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha256(level[i], level[i + 1]) : sha256(level[i]));
    level = next;
  }
  return Buffer.concat(level);
}

/**
 * The header's merkle root: SHA-256(merklePrefix ‖ extranonce), the 10
 * extranonce bytes being body[0..10].
 *
 * @param merklePrefix 32 or 64 bytes
 * @param extranonce 10 bytes (extranonce1 ‖ extranonce2)
 * @see facts/warthog.md §4.4, vectors §6-C
 */
export function merkleRootFromPrefix(merklePrefix: Buffer, extranonce: Buffer): Buffer {
  return sha256(merklePrefix, extranonce.subarray(0, BODY_EXTRANONCE_SIZE));
}
