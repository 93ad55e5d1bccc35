import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { LodeError } from '@lode/stratum-core';
import { formatWart } from '../chain/block-reward';
import { WARTHOG_NODE_ERRORS } from '../chain/node-errors';
import type { WarthogNodeErrorName } from '../chain/node-errors';
import { parseWarthogAddress } from '../chain/warthog-address';
import { MAX_BODY_SIZE } from '../chain/warthog-body';
import { WarthogChain } from '../chain/warthog-chain';
import type { AppendRequest, WarthogChainOptions } from '../chain/warthog-chain';
import { WARTHOG_HEADER_SIZE } from '../chain/warthog-header';
import type { WarthogAppendEnvelope, WarthogChainHead, WarthogEnvelope, WarthogMiningState } from '../http/warthog-envelope';
import type { JanushashVerifier } from '../verify/janushash-verifier';
import type { WarthogDevnetEventMap } from './warthog-devnet-events';

/** Options of a {@link WarthogDevnetNode}. */
export interface WarthogDevnetNodeOptions extends WarthogChainOptions {
  /** judges the proof of work of appended blocks */
  verifier: JanushashVerifier;
  /** emit `max-blocks` once this many blocks were appended */
  maxBlocks?: number;
  /** the node's clock, milliseconds; default Date.now */
  clock?: () => number;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

const fail = (name: WarthogNodeErrorName): { code: number; error: string } => ({ ...WARTHOG_NODE_ERRORS[name] });

/**
 * The simulated Warthog node behind the devnet's HTTP API: a
 * {@link WarthogChain} and the three mining endpoints, each answering the
 * node's `{code, data|error}` envelope. Emits the events of
 * {@link WarthogDevnetEventMap}. Holds no timer.
 *
 * @see facts/warthog.md §4
 */
export class WarthogDevnetNode extends EventEmitter<WarthogDevnetEventMap> {
  readonly chain: WarthogChain;
  readonly verifier: JanushashVerifier;
  private readonly clock: () => number;
  private readonly maxBlocks?: number;
  private maxBlocksReported = false;

  /** @throws LodeError('config') for invalid chain options or maxBlocks */
  constructor(options: WarthogDevnetNodeOptions) {
    super();
    if (options.maxBlocks !== undefined && !(Number.isSafeInteger(options.maxBlocks) && options.maxBlocks >= 1)) {
      throw new LodeError('config', `maxBlocks ${options.maxBlocks} is not an integer >= 1`);
    }
    this.maxBlocks = options.maxBlocks;
    this.clock = options.clock ?? Date.now;
    this.verifier = options.verifier;
    this.chain = new WarthogChain(options, this.now());
  }

  /** The node's clock, whole seconds. */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  /**
   * `GET /chain/mine/:account`: a template for the next block paying
   * `account`. A new template (fresh timestamp) on every call.
   *
   * @param account 48 hex digits: the 20-byte address and its checksum
   * @returns `{code: 0, data}`, or EBADADDRESS (72, "invalid address") when the address does not parse
   * @see facts/warthog.md §4.2
   */
  mine(account: string): WarthogEnvelope<WarthogMiningState> {
    let address: Buffer;
    try {
      address = parseWarthogAddress(account);
    } catch {
      return fail('EBADADDRESS');
    }
    const t = this.chain.template(address, this.now());
    return {
      code: 0,
      data: {
        header: t.header.toString('hex'),
        body: t.body.toString('hex'),
        merklePrefix: t.merklePrefix.toString('hex'),
        difficulty: t.difficulty,
        height: t.height,
        blockReward: formatWart(t.rewardE8),
        blockRewardE8: Number(t.rewardE8),
        totalTxFee: formatWart(t.feeE8),
        totalTxFeeE8: Number(t.feeE8),
        synced: true,
        testnet: false,
      },
    };
  }

  /**
   * `GET /chain/head`: the head's hash and height, the next block's
   * difficulty, the pin (every 32 blocks) and the total work.
   *
   * @see facts/warthog.md §4.2
   */
  head(): WarthogEnvelope<WarthogChainHead> {
    const head = this.chain.head;
    const pin = this.chain.pin;
    return {
      code: 0,
      data: {
        hash: head.hash.toString('hex'),
        synced: true,
        height: head.height,
        difficulty: this.chain.difficulty,
        is_janushash: true,
        pinHeight: pin.height,
        pinHash: pin.hash.toString('hex'),
        worksum: Number(head.worksum),
        worksumHex: `0x${head.worksum.toString(16).padStart(64, '0')}`,
      },
    };
  }

  /**
   * `POST /chain/append` with `{"height", "header", "body"}` (the parsed
   * JSON). A request that is not that shape gets EINV_ARGS (95) or, for
   * hex that is not hex, EINV_HEX (101); then the chain's checks apply
   * (see WarthogChain.append). Emits `block` (and `max-blocks` when
   * reached) or `rejected`.
   *
   * @returns `{code: 0, error: null}` when the block was appended, else the node's code and message
   * @see facts/warthog.md §4.3
   */
  append(request: unknown): WarthogAppendEnvelope {
    const parsed = parseAppendRequest(request);
    if ('name' in parsed) {
      this.emit('rejected', { ...parsed, ...fail(parsed.name) });
      return fail(parsed.name);
    }
    const outcome = this.chain.append(parsed, this.now(), this.verifier);
    if (!outcome.accepted) {
      const hash = createHash('sha256').update(createHash('sha256').update(parsed.header).digest()).digest().toString('hex');
      this.emit('rejected', { name: outcome.name, code: outcome.code, error: outcome.error, detail: outcome.detail, height: parsed.height, hash });
      return { code: outcome.code, error: outcome.error };
    }
    const b = outcome.block;
    this.emit('block', {
      height: b.height,
      hash: b.hash.toString('hex'),
      prevHash: b.prevHash.toString('hex'),
      nonce: b.nonce.toString('hex'),
      timestamp: b.timestamp,
      extranonce: parsed.body.subarray(0, 10).toString('hex'),
      accountId: b.rewardAccountId.toString(),
    });
    if (this.maxBlocks !== undefined && !this.maxBlocksReported && this.chain.minedBlocks >= this.maxBlocks) {
      this.maxBlocksReported = true;
      this.emit('max-blocks', { blocks: this.maxBlocks });
    }
    return { code: 0, error: null };
  }
}

type ParseFailure = { name: WarthogNodeErrorName; detail: string; height?: number };

/** `{height, header, body}` decoded, or why not (NODE parse.cpp parse_mining_task). */
function parseAppendRequest(request: unknown): AppendRequest | ParseFailure {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return { name: 'EINV_ARGS', detail: 'the request is not a JSON object {height, header, body}' };
  }
  const { height, header, body } = request as Record<string, unknown>;
  if (typeof height !== 'number' || !Number.isInteger(height) || height < 0 || height > 0xffffffff) {
    return { name: 'EINV_ARGS', detail: `height ${JSON.stringify(height) ?? 'undefined'} is not a uint32` };
  }
  if (typeof header !== 'string' || typeof body !== 'string') {
    return { name: 'EINV_ARGS', detail: 'header and body must be hex strings', height };
  }
  if (!HEX.test(header) || !HEX.test(body)) return { name: 'EINV_HEX', detail: 'header or body is not hex digits of even length', height };
  if (header.length !== WARTHOG_HEADER_SIZE * 2) {
    return { name: 'EINV_ARGS', detail: `header is ${header.length / 2} bytes, not ${WARTHOG_HEADER_SIZE}`, height };
  }
  if (body.length > MAX_BODY_SIZE * 2) return { name: 'EINV_ARGS', detail: `body is ${body.length / 2} bytes, more than ${MAX_BODY_SIZE}`, height };
  return { height, header: Buffer.from(header, 'hex'), body: Buffer.from(body, 'hex') };
}
