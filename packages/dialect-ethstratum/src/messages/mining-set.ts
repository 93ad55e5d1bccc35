import { LodeError, parseFixedHex, toFixedHex, toHexNumber } from '@lode/stratum-core';
import { readLenientHex, readLenientSafeInteger } from './lenient-hex';
import { MAX_EXTRANONCE_BYTES } from './methods';
import { isRecord, show } from './show';

/** 2^256: a target is a 256-bit boundary. */
const TWO_256 = 1n << 256n;

/**
 * The members of one `mining.set` notification, each optional: only what
 * changed is sent, all four at the start of a session. The values apply to
 * the NEXT `mining.notify`, never to jobs already received.
 *
 * Wire form: `{"epoch":"dc","target":"112e0be8...","algo":"ethash","extranonce":"af4c"}`:
 * epoch and target as hex numbers (no leading zeros), extranonce with every
 * byte kept, `""` to cancel it.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Prepare for mining"; facts/ethash.md §1.3 and §1.6
 */
export interface EthMiningSet {
  /** ethash epoch number (block / 30000 for ethash) */
  epoch?: number;
  /** share boundary, a 256-bit target (not a difficulty), 1 <= target < 2^256 */
  target?: bigint;
  /** algorithm name, e.g. "ethash" (the spec names no other value yet) */
  algo?: string;
  /** leading bytes of every nonce of the next jobs, 0..6 bytes; empty = cancelled */
  extranonce?: Buffer;
}

/**
 * Encodes `mining.set` params with the members present in `set`, in the
 * spec's order (epoch, target, algo, extranonce).
 *
 * @throws LodeError('protocol') if epoch is not a safe integer >= 0, target
 *   is not in [1, 2^256), algo is empty, or the extranonce is over 6 bytes
 */
export function encodeSetParams(set: EthMiningSet): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (set.epoch !== undefined) params['epoch'] = toHexNumber(set.epoch);
  if (set.target !== undefined) {
    if (typeof set.target !== 'bigint' || set.target < 1n || set.target >= TWO_256) {
      throw new LodeError('protocol', `mining.set target ${show(set.target)} is not a bigint in [1, 2^256)`);
    }
    params['target'] = toHexNumber(set.target);
  }
  if (set.algo !== undefined) {
    if (typeof set.algo !== 'string' || set.algo.length === 0) {
      throw new LodeError('protocol', `mining.set algo ${show(set.algo)} is not a non-empty string`);
    }
    params['algo'] = set.algo;
  }
  if (set.extranonce !== undefined) {
    checkExtranonce(set.extranonce);
    params['extranonce'] = toFixedHex(set.extranonce);
  }
  return params;
}

/**
 * Checks an extranonce a server is about to assign: a Buffer of at most 6 bytes.
 *
 * @throws LodeError('protocol') "extranonce is 7 bytes, at most 6 allowed (EIP-1571)"
 */
export function checkExtranonce(extranonce: Buffer): void {
  if (!Buffer.isBuffer(extranonce)) throw new LodeError('protocol', `extranonce ${show(extranonce)} is not a Buffer`);
  if (extranonce.length > MAX_EXTRANONCE_BYTES) {
    throw new LodeError(
      'protocol',
      `extranonce is ${extranonce.length} bytes, at most ${MAX_EXTRANONCE_BYTES} allowed (EIP-1571 "A detail of extranonce")`,
    );
  }
}

/**
 * Reads `mining.set` params as a client: an object with at least one of
 * epoch, target, algo, extranonce (other members are ignored). Numbers are
 * read tolerantly (either case, leading zeros allowed); the target is
 * left-padded, i.e. read as a number of at most 64 hex digits.
 *
 * Nothing is applied unless every member present is valid.
 *
 * @throws LodeError('protocol') naming the member that is wrong
 */
export function decodeSetParams(params: unknown): EthMiningSet {
  if (!isRecord(params)) throw new LodeError('protocol', `mining.set params is ${show(params)}, expected an object`);
  const set: EthMiningSet = {};
  if ('epoch' in params) set.epoch = readLenientSafeInteger(params['epoch'], 'mining.set epoch');
  if ('target' in params) {
    const target = readLenientHex(params['target'], 'mining.set target');
    if (target === 0n) throw new LodeError('protocol', 'mining.set target is 0: no hash can meet it');
    set.target = target;
  }
  if ('algo' in params) {
    const algo = params['algo'];
    if (typeof algo !== 'string' || algo.length === 0) {
      throw new LodeError('protocol', `mining.set algo is ${show(algo)}, expected a non-empty string`);
    }
    set.algo = algo;
  }
  if ('extranonce' in params) {
    let extranonce: Buffer;
    try {
      extranonce = parseFixedHex(params['extranonce']);
    } catch (err) {
      throw new LodeError('protocol', `mining.set extranonce: ${(err as Error).message}`, { cause: err });
    }
    if (extranonce.length > MAX_EXTRANONCE_BYTES) {
      throw new LodeError('protocol', `mining.set extranonce is ${extranonce.length} bytes, at most ${MAX_EXTRANONCE_BYTES} allowed`);
    }
    set.extranonce = extranonce;
  }
  if (Object.keys(set).length === 0) {
    throw new LodeError('protocol', 'mining.set carries none of epoch, target, algo, extranonce');
  }
  return set;
}
