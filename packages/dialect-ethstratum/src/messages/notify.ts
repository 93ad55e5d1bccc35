import { LodeError, toHexBoolean, toHexNumber } from '@lode/stratum-core';
import { readLenientBoolean, readLenientSafeInteger } from './lenient-hex';
import { show } from './show';

const HASH_HEX = /^[0-9a-fA-F]{64}$/;
const SHORT_HASH_HEX = /^[0-9a-fA-F]{1,64}$/;

/**
 * The four params of `mining.notify`: `[jobId, height (hex), headerHash, clean ("0"/"1")]`.
 *
 * Epoch, target, algo and extranonce are not in it: they come from the
 * `mining.set` notifications received before it.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Jobs notification"; facts/ethash.md §1.3 (the spec's example lacks a comma)
 */
export interface EthNotifyParams {
  /** the pool's job id, short (the spec discourages using the header hash) */
  jobId: string;
  /** block number, a safe integer >= 0 */
  height: number;
  /** the header hash (ethash "header hash", the pow hash), 64 lower-case hex digits */
  headerHash: string;
  /** true: shares on earlier jobs will be stale for sure */
  clean: boolean;
}

/** The longest job id accepted, in characters. */
export const MAX_JOB_ID_LENGTH = 64;

/**
 * Encodes `mining.notify` params.
 *
 * @throws LodeError('protocol') if the job id is empty or over 64 characters,
 *   the height is not a safe integer >= 0, or the header hash is not 64 hex digits
 */
export function encodeNotifyParams(p: EthNotifyParams): string[] {
  if (typeof p.jobId !== 'string' || p.jobId.length === 0 || p.jobId.length > MAX_JOB_ID_LENGTH) {
    throw new LodeError('protocol', `job id ${show(p.jobId)} is not a string of 1..${MAX_JOB_ID_LENGTH} characters`);
  }
  if (typeof p.headerHash !== 'string' || !HASH_HEX.test(p.headerHash)) {
    throw new LodeError('protocol', `header hash ${show(p.headerHash)} is not 64 hex digits`);
  }
  return [p.jobId, toHexNumber(p.height), p.headerHash.toLowerCase(), toHexBoolean(p.clean)];
}

/**
 * Reads `mining.notify` params as a client: an array of exactly four.
 * Tolerant where it costs nothing: the height in either hex case with
 * leading zeros, a header hash shorter than 64 digits is left-padded (as
 * ethminer does), and clean may be 0/1.
 *
 * @throws LodeError('protocol') naming the element that is wrong
 */
export function decodeNotifyParams(params: unknown): EthNotifyParams {
  if (!Array.isArray(params) || params.length !== 4) {
    throw new LodeError('protocol', `mining.notify params is ${show(params)}, expected [jobId, height, headerHash, clean]`);
  }
  const [jobId, height, headerHash, clean] = params as unknown[];
  if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > MAX_JOB_ID_LENGTH) {
    throw new LodeError('protocol', `mining.notify job id is ${show(jobId)}, expected a string of 1..${MAX_JOB_ID_LENGTH} characters`);
  }
  if (typeof headerHash !== 'string' || !SHORT_HASH_HEX.test(headerHash)) {
    throw new LodeError('protocol', `mining.notify header hash is ${show(headerHash)}, expected 64 hex digits`);
  }
  return {
    jobId,
    height: readLenientSafeInteger(height, 'mining.notify height'),
    headerHash: headerHash.toLowerCase().padStart(64, '0'),
    clean: readLenientBoolean(clean, 'mining.notify clean'),
  };
}
