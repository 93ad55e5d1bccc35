import { EventEmitter } from 'node:events';
import { LodeError } from '@lode/stratum-core';
import { decodeBlock } from '../block/block-codec';
import type { DecodedBlock } from '../block/block-codec';
import { isCoinbase } from '../block/transaction';
import { displayHex, isHex } from '../bytes/hex';
import { DevnetChain, DEVNET_POW_LIMIT } from '../chain/devnet-chain';
import type { DevnetChainOptions } from '../chain/devnet-chain';
import type { BlockTemplate } from '../template/block-template';
import { buildBlockTemplate } from '../template/build-block-template';
import { LongPollWaiters } from '../template/long-poll';
import { SyntheticMempool } from '../template/synthetic-mempool';
import type { SyntheticMempoolOptions } from '../template/synthetic-mempool';
import { checkBlockConnect, checkBlockContextFree, checkBlockContextual, checkHeaderContextual } from '../validate/check-block';
import type { ContextualRules } from '../validate/check-block';
import { parseDevnetPow } from '../validate/pow-hash';
import type { DevnetPow } from '../validate/pow-hash';
import { withDefaultWitnessNonce } from '../validate/default-witness-nonce';
import type { RejectReason } from '../validate/reject-reason';
import type { DevnetEventMap } from './devnet-events';

/** bitcoind's RPC_DESERIALIZATION_ERROR. */
export const RPC_DESERIALIZATION_ERROR = -22;

/** Options of a {@link DevnetNode}. */
export interface DevnetNodeOptions extends DevnetChainOptions, SyntheticMempoolOptions {
  /** seconds between mempool refreshes (each one changes the longpollid); 0 disables; default 30 */
  mempoolRefreshSeconds?: number;
  /** longest a long poll is held, seconds; default 60 */
  longPollTimeoutSeconds?: number;
  /** most long polls parked at once; default 32 */
  maxLongPolls?: number;
  /** the node's clock in milliseconds; default Date.now */
  clock?: () => number;
  /**
   * the proof-of-work hash submitted blocks must meet their nBits with:
   * `sha256d` (Bitcoin, the default) or `sha256` (one SHA-256 of the header);
   * block ids stay sha256d either way (see DevnetPow)
   */
  pow?: DevnetPow;
}

/**
 * The simulated bitcoind behind the RPC server: a {@link DevnetChain}, a
 * {@link SyntheticMempool}, templates, long polls, and block submission
 * that answers exactly as bitcoind's `submitblock` does. Emits the events
 * of {@link DevnetEventMap}.
 *
 * Owns a refresh timer and the parked long polls: call {@link close}.
 */
export class DevnetNode extends EventEmitter<DevnetEventMap> {
  readonly chain: DevnetChain;
  readonly mempool: SyntheticMempool;
  /** the proof-of-work hash blocks are checked with (DevnetNodeOptions.pow) */
  readonly pow: DevnetPow;
  private readonly clock: () => number;
  private readonly longPolls: LongPollWaiters;
  private readonly longPollTimeoutMs: number;
  private readonly timer?: NodeJS.Timeout;

  /** @throws LodeError('config') for an invalid nbits, halving interval, transaction range, period or proof of work */
  constructor(options: DevnetNodeOptions = {}) {
    super();
    this.pow = parseDevnetPow(options.pow);
    this.chain = new DevnetChain(options);
    this.mempool = new SyntheticMempool(options);
    this.clock = options.clock ?? Date.now;
    this.longPolls = new LongPollWaiters(options.maxLongPolls ?? 32);
    this.longPollTimeoutMs = (options.longPollTimeoutSeconds ?? 60) * 1000;
    const refresh = options.mempoolRefreshSeconds ?? 30;
    if (!(refresh >= 0 && Number.isFinite(refresh))) {
      throw new LodeError('config', `mempool refresh period ${refresh} s is not a finite number >= 0`);
    }
    if (refresh > 0) {
      this.timer = setInterval(() => this.refreshMempool(), refresh * 1000);
      this.timer.unref();
    }
  }

  /** The node's clock, whole seconds. */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** The current template (built on each call; curtime from the clock). */
  template(): BlockTemplate {
    const tip = this.chain.tip;
    return buildBlockTemplate({
      tip,
      bits: this.chain.bits,
      subsidy: this.chain.nextBlockRules(tip).subsidy,
      transactions: this.mempool.transactions,
      transactionsUpdated: this.mempool.transactionsUpdated,
      now: this.now(),
    });
  }

  /** The current longpollid: tip hash (display hex) followed by the mempool's update counter. */
  longPollId(): string {
    return `${this.chain.tip.hashHex}${this.mempool.transactionsUpdated}`;
  }

  /**
   * Waits for the next template when `longpollid` is the current one: until
   * a new tip, a mempool refresh, the long-poll timeout (60 s by default),
   * `signal`, or {@link close}. Returns at once for any other longpollid.
   *
   * @throws LodeError('node', code -1) when the cap of parked long polls is reached
   */
  async waitForTemplateChange(longpollid: string, signal?: AbortSignal): Promise<void> {
    if (longpollid !== this.longPollId()) return;
    await this.longPolls.wait(this.longPollTimeoutMs, signal);
  }

  /** How many long polls are parked right now. */
  get waitingLongPolls(): number {
    return this.longPolls.size;
  }

  /** Replaces the mempool's transactions, emits `mempool` and releases long polls. */
  refreshMempool(): void {
    this.mempool.refresh();
    this.emit('mempool', { transactions: this.mempool.transactions.length, longpollid: this.longPollId() });
    this.longPolls.release();
  }

  /**
   * bitcoind's `submitblock`: decodes, validates and, when valid on the tip,
   * connects the block.
   *
   * @param hex the full block serialization in hex
   * @returns null when accepted; otherwise bitcoind's reason string
   *   (see RejectReason), "duplicate" for a known block, "inconclusive" for a
   *   block that passes the checks but builds on a known block that is not the tip
   * @throws LodeError('node', code -22) "Block decode failed" / "Block does not start with a coinbase"
   * @see Bitcoin Core src/rpc/mining.cpp (submitblock); src/validation.cpp (ProcessNewBlock)
   */
  submitBlock(hex: string): RejectReason | null {
    let block: DecodedBlock;
    try {
      block = this.decode(hex);
    } catch (e) {
      this.emit('rejected', { reason: 'Block decode failed' });
      throw e;
    }
    if (block.transactions.length === 0 || !isCoinbase(block.transactions[0].tx)) {
      this.emit('rejected', { reason: 'Block does not start with a coinbase', hash: block.hashHex });
      throw new LodeError('node', 'Block does not start with a coinbase', { code: RPC_DESERIALIZATION_ERROR });
    }
    if (block.trailingBytes > 0) {
      this.emit('warning', {
        message: `block ${block.hashHex} has ${block.trailingBytes} bytes after its last transaction (bitcoind ignores them too)`,
      });
    }
    if (this.chain.entryByHash(block.hashHex)) return this.reject('duplicate', block);
    const parent = this.chain.entryByHash(displayHex(block.header.prevHash));
    if (parent) block = withDefaultWitnessNonce(block);
    const early = checkBlockContextFree(block, { checkProofOfWork: true, powLimit: DEVNET_POW_LIMIT, pow: this.pow });
    if (early) return this.reject(early, block);
    if (!parent) return this.reject('prev-blk-not-found', block);
    const rules = this.chain.nextBlockRules(parent);
    const context: ContextualRules = { ...rules, now: this.now() };
    const contextual = checkHeaderContextual(block.header, context) ?? checkBlockContextual(block, context);
    if (contextual) return this.reject(contextual, block);
    if (parent !== this.chain.tip) return this.reject('inconclusive', block);
    const connect = checkBlockConnect(block, { subsidy: rules.subsidy, transactionFee: (txid) => this.mempool.feeOf(txid) });
    if (connect) return this.reject(connect, block);
    const entry = this.chain.connect(block);
    this.mempool.blockConnected(block.transactions.slice(1).map((t) => displayHex(t.txid)));
    this.emit('block', {
      height: entry.height,
      hash: entry.hashHex,
      coinbaseTag: entry.coinbaseTag,
      txCount: entry.txCount,
      time: entry.header.time,
      size: entry.size,
      weight: entry.weight,
    });
    this.longPolls.release();
    return null;
  }

  /**
   * `getblocktemplate` in proposal mode (BIP 23): checks a block built on
   * the tip without its proof of work and without connecting it.
   *
   * @returns null when it would be valid; "duplicate" for a known block;
   *   "inconclusive-not-best-prevblk" when it does not build on the tip; otherwise the reason
   * @throws LodeError('node', code -22) "Block decode failed"
   * @see BIP 23 "Block Proposal"; Bitcoin Core src/rpc/mining.cpp (getblocktemplate, mode "proposal")
   */
  proposeBlock(hex: string): RejectReason | null {
    const block = this.decode(hex);
    if (this.chain.entryByHash(block.hashHex)) return 'duplicate';
    const tip = this.chain.tip;
    if (!block.header.prevHash.equals(tip.hash)) return 'inconclusive-not-best-prevblk';
    const rules = this.chain.nextBlockRules(tip);
    const context: ContextualRules = { ...rules, now: this.now() };
    return (
      checkHeaderContextual(block.header, context) ??
      checkBlockContextFree(block, { checkProofOfWork: false, powLimit: DEVNET_POW_LIMIT }) ??
      checkBlockContextual(block, context) ??
      checkBlockConnect(block, { subsidy: rules.subsidy, transactionFee: (txid) => this.mempool.feeOf(txid) })
    );
  }

  /** Stops the refresh timer and releases every parked long poll. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.longPolls.close();
  }

  private decode(hex: string): DecodedBlock {
    if (!isHex(hex)) throw new LodeError('node', 'Block decode failed', { code: RPC_DESERIALIZATION_ERROR });
    try {
      return decodeBlock(Buffer.from(hex, 'hex'));
    } catch (cause) {
      throw new LodeError('node', 'Block decode failed', { code: RPC_DESERIALIZATION_ERROR, cause });
    }
  }

  private reject(reason: RejectReason, block: DecodedBlock): RejectReason {
    this.emit('rejected', { reason, hash: block.hashHex });
    return reason;
  }
}
