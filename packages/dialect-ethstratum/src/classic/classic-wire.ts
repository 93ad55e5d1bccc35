import { LodeError } from '@lode/stratum-core';
import type { RpcExtraMembers } from '@lode/stratum-core';
import type { EthClassicServerJob } from './classic-contract';
import { MAX_JOB_ID_LENGTH } from '../messages/notify';
import { show } from '../messages/show';

/*
 * Value formats shared by EthProxy and plain stratum (ethminer mode 0): both
 * write hashes, the nonce, the target and the block height as `0x`-prefixed
 * hex (facts/ethash.md §1.1, §1.4, §1.6 "Hex style"). Used by the sessions in
 * src/es1, src/ethproxy and src/plain; not exported from the package.
 */

/** `"0x"` + 16 hex digits (the 8-byte nonce), either case: open-ethereum-pool's `^0x[0-9a-f]{16}$`, case-tolerant. */
export const NONCE_PARAM = /^0x[0-9a-fA-F]{16}$/;
/** `"0x"` + 64 hex digits (a header hash or mix digest), either case: open-ethereum-pool's `^0x[0-9a-f]{64}$`, case-tolerant. */
export const HASH_PARAM = /^0x[0-9a-fA-F]{64}$/;
/** The worker's hashrate as ethminer sends it: `"0x"` + 1..64 hex digits (ethminer: 32 bytes, `toHex(rate, HexPrefix::Add, 32)`). */
export const HASHRATE_PARAM = /^0x[0-9a-fA-F]{1,64}$/;

/** Longest worker name, wallet or hashrate id accepted from a miner, in characters. */
export const MAX_NAME_LENGTH = 256;

/** 2^256: every target is below it. */
const TWO_256 = 1n << 256n;

const HASH_HEX = /^[0-9a-fA-F]{64}$/;

/** `"0x"` + the 64-digit hex of a 256-bit target, left-padded (EthProxy's and plain stratum's share boundary). */
export function targetParam(target: bigint): string {
  return `0x${target.toString(16).padStart(64, '0')}`;
}

/** `"0x"` + the block height in hex without leading zeros (`0x0` for block 0), as ethermine and core-geth's `eth_getWork` send it. */
export function heightParam(height: number): string {
  return `0x${height.toString(16)}`;
}

/** `"0x"` + the hashrate as 32 bytes of hex (64 digits), as ethminer's `eth_submitHashrate` sends it. */
export function hashrateParam(hashrate: bigint): string {
  return `0x${hashrate.toString(16).padStart(64, '0')}`;
}

/**
 * The top-level members a job message carries: `{"algo": job.algo}` when it
 * is not "ethash" (docs/ethstratum.md "ETChash"; TeamRedMiner's
 * `--eth_variant_mode=pool` looks for it, facts/ethash.md §1.5), else none.
 */
export function jobExtra(algo: string): RpcExtraMembers | undefined {
  return algo === 'ethash' ? undefined : { algo };
}

/**
 * Sets `map[key] = value` as the newest entry (a key set again moves to the
 * end) and drops the oldest while more than `limit` remain: the bounded job
 * history of a server session.
 */
export function rememberNewest<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) {
    const oldest = map.keys().next();
    if (oldest.done === true) return;
    map.delete(oldest.value);
  }
}

/**
 * Checks a job before a classic session sends it.
 *
 * @throws LodeError('protocol') naming the member: a job id that is not 1..64
 *   characters, a height that is not a safe integer >= 0, a header or seed
 *   hash that is not 64 hex digits, a target outside 1..2^256-1, an empty algo
 */
export function checkClassicJob(job: EthClassicServerJob): void {
  if (typeof job.jobId !== 'string' || job.jobId.length === 0 || job.jobId.length > MAX_JOB_ID_LENGTH) {
    throw new LodeError('protocol', `job id ${show(job.jobId)} is not a string of 1..${MAX_JOB_ID_LENGTH} characters`);
  }
  if (!Number.isSafeInteger(job.height) || job.height < 0) {
    throw new LodeError('protocol', `job height ${show(job.height)} is not a safe integer >= 0`);
  }
  if (typeof job.headerHash !== 'string' || !HASH_HEX.test(job.headerHash)) {
    throw new LodeError('protocol', `job header hash ${show(job.headerHash)} is not 64 hex digits`);
  }
  if (typeof job.seedHash !== 'string' || !HASH_HEX.test(job.seedHash)) {
    throw new LodeError('protocol', `job seed hash ${show(job.seedHash)} is not 64 hex digits`);
  }
  if (typeof job.target !== 'bigint' || job.target < 1n || job.target >= TWO_256) {
    throw new LodeError('protocol', `job target ${show(job.target)} is not in 1..2^256-1`);
  }
  if (typeof job.algo !== 'string' || job.algo.length === 0) {
    throw new LodeError('protocol', `job algo ${show(job.algo)} is not a non-empty string`);
  }
}

/**
 * Reads a header or seed hash a pool sent: `0x` optional (ethminer's `h256`
 * takes both), 64 hex digits of either case.
 *
 * @returns 64 lower-case hex digits without 0x
 * @throws LodeError('protocol') naming `what` and the value
 */
export function readPoolHash(value: unknown, what: string): string {
  if (typeof value === 'string') {
    const hex = value.startsWith('0x') || value.startsWith('0X') ? value.slice(2) : value;
    if (HASH_HEX.test(hex)) return hex.toLowerCase();
  }
  throw new LodeError('protocol', `${what} is ${show(value)}, expected 0x and 64 hex digits`);
}

/**
 * Reads a share target a pool sent: `0x` and 1..64 hex digits, left-padded
 * when shorter (ethminer's "coinmine.pl fix" pads short targets the same way).
 *
 * @returns the target, 1 <= target < 2^256
 * @throws LodeError('protocol') when it is not 0x-prefixed hex of 1..64 digits, or zero
 */
export function readPoolTarget(value: unknown, what: string): bigint {
  if (typeof value === 'string' && /^0[xX][0-9a-fA-F]{1,64}$/.test(value)) {
    const target = BigInt(`0x${value.slice(2)}`);
    if (target > 0n) return target;
  }
  throw new LodeError('protocol', `${what} is ${show(value)}, expected 0x and 1..64 hex digits, not zero`);
}

/**
 * Reads EthProxy's optional 4th job element, the block height: only a
 * string starting with `0x` counts (ethminer reads it only then); anything
 * else, or a value beyond 2^53, is ignored.
 *
 * @returns the height, or undefined when absent or not a 0x hex number
 */
export function readPoolHeight(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{1,16}$/.test(value)) return undefined;
  const height = Number.parseInt(value.slice(2), 16);
  return Number.isSafeInteger(height) ? height : undefined;
}

/** Reads the `"algo"` top-level member of a job message, when it is a non-empty string. */
export function readAlgo(extra: RpcExtraMembers | undefined): string | undefined {
  const algo = extra?.['algo'];
  return typeof algo === 'string' && algo.length > 0 ? algo : undefined;
}

/**
 * Reads the optional top-level `"worker"` member (EthProxy's and ethminer
 * mode 0's worker name, facts/ethash.md §1.1, §1.4).
 *
 * @returns the worker name, undefined when absent, null or empty, or a string describing what is wrong
 */
export function readWorkerMember(extra: RpcExtraMembers | undefined): { worker: string | undefined } | { bad: string } {
  const worker = extra?.['worker'];
  if (worker === undefined || worker === null || worker === '') return { worker: undefined };
  if (typeof worker !== 'string' || worker.length > MAX_NAME_LENGTH) {
    return { bad: `the "worker" member is ${show(worker)}, expected a string of at most ${MAX_NAME_LENGTH} characters` };
  }
  return { worker };
}

/**
 * Reads `eth_submitHashrate [hashrate, id]` params: the hashrate `0x` + 1..64
 * hex digits, the id any string of at most 256 characters (ethminer: `0x` + 32
 * random bytes).
 *
 * @returns the hashrate in hashes per second and the id, or a string describing what is wrong
 */
export function readHashrateParams(params: unknown[]): { hashrate: bigint; id: string } | string {
  if (params.length !== 2) return `eth_submitHashrate takes [hashrate, id], got ${params.length} parameter${params.length === 1 ? '' : 's'}`;
  const [rate, id] = params;
  if (typeof rate !== 'string' || !HASHRATE_PARAM.test(rate)) {
    return `eth_submitHashrate hashrate is ${show(rate)}, expected 0x and 1..64 hex digits`;
  }
  if (typeof id !== 'string' || id.length > MAX_NAME_LENGTH) {
    return `eth_submitHashrate id is ${show(id)}, expected a string of at most ${MAX_NAME_LENGTH} characters`;
  }
  return { hashrate: BigInt(`0x${rate.slice(2)}`), id };
}
