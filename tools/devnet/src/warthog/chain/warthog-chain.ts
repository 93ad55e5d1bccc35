import { createHash } from 'node:crypto';
import { LodeError } from '@lode/stratum-core';
import type { JanushashVerifier } from '../verify/janushash-verifier';
import { blockRewardE8 } from './block-reward';
import { bodyMerklePrefix, merkleRootFromPrefix } from './body-merkle';
import { WARTHOG_NODE_ERRORS } from './node-errors';
import type { WarthogNodeErrorName } from './node-errors';
import { difficultyFromTargetV2, targetV2FromDifficulty, targetV2Hex } from './target-v2';
import { TimestampWindow, MEDIAN_N } from './timestamp-window';
import { devnetAccountId } from './warthog-address';
import type { WarthogBlock, WarthogTemplate } from './warthog-block';
import { BODY_EXTRANONCE_SIZE, BODY_TRANSFER_SIZE, parseWarthogBody, serializeWarthogBody } from './warthog-body';
import type { WarthogBody } from './warthog-body';
import { WARTHOG_HEADER_VERSION, parseWarthogHeader, serializeWarthogHeader } from './warthog-header';

/**
 * Default block difficulty. Expected Janushash evaluations per block are
 * difficulty / 2.65 (facts/warthog.md §3.1: P = (10/3)·τ·(1 - 0.005^0.3)),
 * here ~1.9 million: about 2 s for one thread of `@lode/coin-warthog`'s
 * native scan with AES-NI (~860k/s measured), 6 s portable (~310k/s).
 */
export const DEFAULT_WARTHOG_DEVNET_DIFFICULTY = 5_000_000;

/** Default height of the head the chain starts on; the first block mined is one above. */
export const DEFAULT_WARTHOG_START_HEIGHT = 2_000_000;

/** The last height before Janus8 and header version 3: the chain must start at or above it. */
export const JANUS8_START_HEIGHT = 1_658_880;

/** Default number of dummy transfers in each body: 2, so there are 3 leaves and the merkle prefix is 64 bytes. */
export const DEFAULT_DEVNET_TRANSFERS = 2;

/** Warthog's target block time, seconds: the spacing of the anchor's synthetic history. */
export const WARTHOG_BLOCK_SECONDS = 20;

/** Pins are every 32 blocks (the node's `pinHeight`). */
const PIN_INTERVAL = 32;

/** Options of a {@link WarthogChain}. */
export interface WarthogChainOptions {
  /**
   * constant block difficulty (no retargeting; fractions are fine); the
   * header target is its TargetV2. Default 5,000,000 (~2 s per block for one CPU thread).
   */
  difficulty?: number;
  /** height of the head the chain starts on (>= 1,658,880, so blocks are Janus8 / version 3); default 2,000,000 */
  startHeight?: number;
  /** dummy 99-byte transfers in every body, 0..64; default 2 */
  transfers?: number;
  /** most blocks kept (the newest); default 256, at least 64 */
  retainBlocks?: number;
}

/** The outcome of {@link WarthogChain.append}. */
export type AppendOutcome =
  | { accepted: true; block: WarthogBlock }
  | { accepted: false; name: WarthogNodeErrorName; code: number; error: string; detail: string };

/** The fields of `/chain/append`'s request, decoded. */
export interface AppendRequest {
  height: number;
  /** 80 bytes */
  header: Buffer;
  body: Buffer;
}

function integerOption(value: number | undefined, fallback: number, min: number, max: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new LodeError('config', `${what} ${String(value)} is not an integer in ${min}..${max}`);
  }
  return value;
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** sha256d in digest order: the block hash. */
function sha256d(bytes: Buffer): Buffer {
  return createHash('sha256').update(createHash('sha256').update(bytes).digest()).digest();
}

/** Stand-in hash of a block at or below the start height (the devnet has no real history). */
function historyHash(height: number): Buffer {
  return createHash('sha256').update('lode-devnet warthog block').update(u32(height)).digest();
}

/**
 * The i-th dummy transfer of the block at `height`: 99 deterministic bytes
 * whose compact fee (bytes 16..18) is zero, so the reward is the block
 * reward alone.
 */
function dummyTransfer(height: number, index: number): Buffer {
  const chunks: Buffer[] = [];
  for (let k = 0; k < 4; k++) {
    chunks.push(createHash('sha256').update('lode-devnet transfer').update(u32(height)).update(u32(index)).update(Buffer.of(k)).digest());
  }
  const transfer = Buffer.concat(chunks).subarray(0, BODY_TRANSFER_SIZE);
  transfer.fill(0, 16, 18);
  return Buffer.from(transfer);
}

/**
 * The Warthog devnet's chain: a constant TargetV2, an anchor head at
 * `startHeight` with a synthetic history (stand-in hashes, timestamps 20 s
 * apart), blocks appended through {@link append} with the node's checks,
 * no reorgs.
 *
 * Bodies hold no new addresses, the reward (account id from the address,
 * see devnetAccountId) and `transfers` dummy transfers that pay no fee.
 * Only the newest `retainBlocks` blocks are kept; the timestamp window holds
 * 50 numbers.
 *
 * @see facts/warthog.md §2, §3, §4
 */
export class WarthogChain {
  /** the raw TargetV2 of every block */
  readonly targetV2: number;
  /** 1/τ of targetV2 (what the node reports as `difficulty`) */
  readonly difficulty: number;
  readonly startHeight: number;
  readonly transfers: number;
  private readonly retainBlocks: number;
  private readonly blockWork: bigint;
  private readonly blocks: WarthogBlock[] = [];
  private readonly window: TimestampWindow;

  /**
   * @param now the anchor's timestamp, seconds
   * @throws LodeError('config') for an invalid difficulty, start height, transfer count or retention
   */
  constructor(options: WarthogChainOptions, now: number) {
    this.targetV2 = targetV2FromDifficulty(options.difficulty ?? DEFAULT_WARTHOG_DEVNET_DIFFICULTY);
    this.difficulty = difficultyFromTargetV2(this.targetV2);
    this.startHeight = integerOption(options.startHeight, DEFAULT_WARTHOG_START_HEIGHT, JANUS8_START_HEIGHT, 0xfffffffe - 1, 'start height');
    this.transfers = integerOption(options.transfers, DEFAULT_DEVNET_TRANSFERS, 0, 64, 'transfers');
    this.retainBlocks = integerOption(options.retainBlocks, 256, 64, 1_000_000, 'retainBlocks');
    this.blockWork = BigInt(Math.max(1, Math.floor(this.difficulty)));
    const history = Array.from({ length: MEDIAN_N }, (_, i) => now - (MEDIAN_N - 1 - i) * WARTHOG_BLOCK_SECONDS);
    this.window = new TimestampWindow(history);
    this.blocks.push({
      height: this.startHeight,
      hash: historyHash(this.startHeight),
      header: Buffer.alloc(80),
      prevHash: historyHash(this.startHeight - 1),
      timestamp: now,
      nonce: Buffer.alloc(4),
      targetV2: this.targetV2,
      rewardAccountId: 0n,
      worksum: this.blockWork * BigInt(this.startHeight),
    });
  }

  /** The chain's last block. */
  get head(): WarthogBlock {
    return this.blocks[this.blocks.length - 1];
  }

  /** The head's height. */
  get height(): number {
    return this.head.height;
  }

  /** How many blocks were appended since the start. */
  get minedBlocks(): number {
    return this.height - this.startHeight;
  }

  /** The newest height that is a multiple of 32, and its block hash (the node's pin). */
  get pin(): { height: number; hash: Buffer } {
    const height = this.height - (this.height % PIN_INTERVAL);
    return { height, hash: this.hashAt(height) };
  }

  /** A retained block by height (the anchor included), or undefined. */
  blockAt(height: number): WarthogBlock | undefined {
    const first = this.blocks[0].height;
    return this.blocks[height - first];
  }

  /** The smallest timestamp the next block may carry (median and drop rules). */
  minimumTimestamp(): number {
    return this.window.minimum();
  }

  /**
   * A template for the next height on the head, rewarding `address20`.
   * The header's timestamp is max(now, the smallest valid timestamp).
   *
   * @param address20 the 20 bytes of the reward address
   * @param now the node's clock, seconds
   * @see facts/warthog.md §4.2, §4.4
   */
  template(address20: Buffer, now: number): WarthogTemplate {
    const height = this.height + 1;
    const accountId = devnetAccountId(address20);
    const body = this.expectedBody(height, accountId);
    const merklePrefix = bodyMerklePrefix(body);
    const header = serializeWarthogHeader({
      prevHash: this.head.hash,
      targetV2: this.targetV2,
      merkleRoot: merkleRootFromPrefix(merklePrefix, body.extranonce),
      version: WARTHOG_HEADER_VERSION,
      timestamp: Math.max(now, this.window.minimum()),
      nonce: Buffer.alloc(4),
    });
    return {
      height,
      header,
      body: serializeWarthogBody(body),
      merklePrefix,
      targetV2: this.targetV2,
      difficulty: this.difficulty,
      rewardE8: body.reward.amountE8,
      feeE8: 0n,
      accountId,
    };
  }

  /**
   * `/chain/append`'s checks, in the node's order (State::append_mined_block,
   * HeaderVerifier::prepare_append), then appends the block:
   *
   * 1. height is not head + 1: EMINEDDEPRECATED (stale work)
   * 2. prevHash is not the head's hash: EHEADERLINK
   * 3. version is not 3: EBLOCKVERSION
   * 4. target field is not the chain's TargetV2: EDIFFICULTY
   * 5. Janushash does not meet the target: EPOW
   * 6. median or drop rule: ETIMESTAMP; more than 600 s ahead of `now`: ECLOCKTOLERANCE
   * 7. the body does not parse: EINV_BODY; merkle root is not
   *    SHA-256(merklePrefix(body) ‖ body[0..10]): EMROOT; the body holds other
   *    items than the template (new addresses, reward amount, transfers): EINV_BODY
   *
   * @param now the node's clock, seconds
   * @see facts/warthog.md §4.3, §4.4; NODE src/node/chainserver/state/state.cpp, consensus_headers.cpp
   */
  append(request: AppendRequest, now: number, verifier: JanushashVerifier): AppendOutcome {
    const next = this.height + 1;
    if (request.height !== next) return reject('EMINEDDEPRECATED', `height ${request.height}, the next block is ${next}`);
    const h = parseWarthogHeader(request.header);
    if (!h.prevHash.equals(this.head.hash)) {
      return reject('EHEADERLINK', `prevHash ${h.prevHash.toString('hex')}, the head ${this.height} is ${this.head.hash.toString('hex')}`);
    }
    if (h.version !== WARTHOG_HEADER_VERSION) return reject('EBLOCKVERSION', `version ${h.version}, height ${next} needs ${WARTHOG_HEADER_VERSION}`);
    if (h.targetV2 !== this.targetV2) return reject('EDIFFICULTY', `target ${targetV2Hex(h.targetV2)}, the chain's is ${targetV2Hex(this.targetV2)}`);
    if (!verifier.checkTarget(request.header, this.targetV2)) return reject('EPOW', `Janushash of the header is not below target ${targetV2Hex(this.targetV2)}`);
    const verdict = this.window.check(h.timestamp, now);
    if (verdict === 'future') return reject('ECLOCKTOLERANCE', `timestamp ${h.timestamp} is more than 600 s after ${now}`);
    if (verdict !== 'ok') return reject('ETIMESTAMP', `timestamp ${h.timestamp} is below ${this.window.minimum()} (${verdict === 'drop' ? 'more than 600 s below the largest' : 'median of the last 50'})`);
    let body: WarthogBody;
    try {
      body = parseWarthogBody(request.body);
    } catch (e) {
      return reject('EINV_BODY', e instanceof Error ? e.message : String(e));
    }
    const root = merkleRootFromPrefix(bodyMerklePrefix(body), request.body.subarray(0, BODY_EXTRANONCE_SIZE));
    if (!root.equals(h.merkleRoot)) return reject('EMROOT', `header merkle root ${h.merkleRoot.toString('hex')}, the body gives ${root.toString('hex')}`);
    const mismatch = this.bodyMismatch(next, body);
    if (mismatch) return reject('EINV_BODY', mismatch);

    const block: WarthogBlock = {
      height: next,
      hash: sha256d(request.header),
      header: Buffer.from(request.header),
      prevHash: h.prevHash,
      timestamp: h.timestamp,
      nonce: h.nonce,
      targetV2: h.targetV2,
      rewardAccountId: body.reward.accountId,
      worksum: this.head.worksum + this.blockWork,
    };
    this.blocks.push(block);
    if (this.blocks.length > this.retainBlocks) this.blocks.shift();
    this.window.append(h.timestamp);
    return { accepted: true, block };
  }

  /** The block hash at `height`: a retained block's, else the history stand-in. */
  private hashAt(height: number): Buffer {
    return this.blockAt(height)?.hash ?? historyHash(height);
  }

  /** The template body of `height` for `accountId`, extranonce zero. */
  private expectedBody(height: number, accountId: bigint): WarthogBody {
    return {
      extranonce: Buffer.alloc(BODY_EXTRANONCE_SIZE),
      newAddresses: [],
      reward: { accountId, amountE8: blockRewardE8(height) },
      transfers: Array.from({ length: this.transfers }, (_, i) => dummyTransfer(height, i)),
    };
  }

  /** Why a parsed body is not the node's template for `height` (any account), or undefined. */
  private bodyMismatch(height: number, body: WarthogBody): string | undefined {
    if (body.newAddresses.length > 0) return `${body.newAddresses.length} new addresses, the template has none`;
    const expected = this.expectedBody(height, body.reward.accountId);
    if (body.reward.amountE8 !== expected.reward.amountE8) return `reward ${body.reward.amountE8} E8, block ${height} pays ${expected.reward.amountE8}`;
    if (body.transfers.length !== expected.transfers.length) return `${body.transfers.length} transfers, the template has ${expected.transfers.length}`;
    const differs = body.transfers.findIndex((t, i) => !t.equals(expected.transfers[i]));
    if (differs >= 0) return `transfer ${differs} is not the template's`;
    return undefined;
  }
}

function reject(name: WarthogNodeErrorName, detail: string): AppendOutcome {
  return { accepted: false, name, ...WARTHOG_NODE_ERRORS[name], detail };
}
