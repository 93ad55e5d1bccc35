import { createWarthogHasher, serializeWarthogHeader, targetV2ToBigint, WARTHOG_DIFF1_TARGET, warthogMerkleRoot, type WarthogHasher } from '@lode/coin-warthog';
import { SHARE_KINDS } from '../../mix/share-kind';
import type { DialectDriver, DialectSession, DriverSessionOptions, SessionChannel } from '../dialect-driver';
import { ClassicSession, type ClassicCoin, type ClassicJob } from '../classic/classic-session';
import { hex8, hexParam } from '../classic/hex';
import { LOADGEN_USER_AGENT } from '../user-agent';

/** A Warthog `mining.notify` job. */
export interface WarthogJob extends ClassicJob {
  /** 64 hex digits, header bytes 0..32 in order */
  readonly prevHash: string;
  /** 32 or 64 bytes */
  readonly merklePrefix: Buffer;
  readonly version: number;
  /** TargetV2 */
  readonly nbits: number;
  readonly ntime: number;
}

/**
 * Reads Warthog `mining.notify` params `[jobId, prevHash, merklePrefix,
 * version, nbits, ntime, clean]` (version as 8 hex digits or, the older
 * shifupool form, a JSON integer).
 *
 * @throws Error naming the param and the rule
 * @see facts/warthog.md §7 "notify"
 */
export function parseWarthogNotify(params: unknown[], target: bigint): WarthogJob {
  if (params.length < 7) throw new Error(`mining.notify takes 7 params, got ${params.length}`);
  const [id, prevHash, merklePrefix, version, nbits, ntime, clean] = params;
  if (typeof id !== 'string' || id === '') throw new Error(`job id ${JSON.stringify(id)} is not a non-empty string`);
  const nbitsValue = Number.parseInt(hexParam(nbits, 'nbits', 8), 16);
  return {
    id,
    superseded: false,
    clean: clean === true,
    target,
    networkTarget: targetV2ToBigint(nbitsValue),
    prevHash: hexParam(prevHash, 'prevHash', 64),
    merklePrefix: Buffer.from(hexParam(merklePrefix, 'merklePrefix', [64, 128]), 'hex'),
    version: typeof version === 'number' ? version : Number.parseInt(hexParam(version, 'version', 8), 16),
    nbits: nbitsValue,
    ntime: Number.parseInt(hexParam(ntime, 'ntime', 8), 16),
  };
}

/** The Warthog half of a ClassicSession: merkle root, header and Janushash with @lode/coin-warthog's native hasher. */
class WarthogCoin implements ClassicCoin<WarthogJob> {
  /** Warthog's share target is 1/difficulty, scaled by 2^256 (facts/warthog.md §3.1) */
  readonly diff1 = WARTHOG_DIFF1_TARGET;

  constructor(private readonly hasher: WarthogHasher) {}

  parseNotify(params: unknown[], target: bigint): WarthogJob {
    return parseWarthogNotify(params, target);
  }

  header(job: WarthogJob, extranonce1: Buffer, extranonce2: Buffer): Buffer {
    return serializeWarthogHeader({
      prevHash: job.prevHash,
      nbits: job.nbits,
      merkleRoot: warthogMerkleRoot(job.merklePrefix, extranonce1, extranonce2).toString('hex'),
      version: job.version,
      ntime: job.ntime,
      nonce: 0,
    });
  }

  async scan(header: Buffer, start: number, count: number, target: bigint): Promise<number[]> {
    const result = await this.hasher.scan({ header, startNonce: start, count, target, threads: 1 });
    return result.hits.map((h) => h.nonce);
  }

  value(header: Buffer, nonce: number): bigint {
    const h = Buffer.from(header);
    // the stratum nonce is header bytes 76..80 read big-endian (facts/warthog.md §2)
    h.writeUInt32BE(nonce >>> 0, 76);
    return BigInt(`0x${this.hasher.hash(h).toString('hex')}`);
  }

  submitParams(_worker: string, job: WarthogJob, extranonce2: string, nonce: number): unknown[] {
    // the current 4-param form (facts/warthog.md §7 "submit")
    return [job.id, extranonce2, hex8(job.ntime), hex8(nonce)];
  }
}

/**
 * Warthog stratum: every share kind. Valid shares are found with the native
 * Janushash scanner of @lode/coin-warthog (the pool's difficulty D means a
 * target of 2^256 / D; keep it small, e.g. 1 to 100).
 *
 * @throws LodeError('plugin') on the first scan when the native addon is not
 *   built (`npx nx run @lode/coin-warthog:build-native`)
 */
export function createWarthogDriver(): DialectDriver {
  const coin = new WarthogCoin(createWarthogHasher());
  return {
    name: 'warthog',
    title: 'Warthog stratum',
    kinds: new Set(SHARE_KINDS),
    maxRequestId: 2 ** 31 - 1,
    createSession(channel: SessionChannel, options: DriverSessionOptions): DialectSession {
      return new ClassicSession(channel, { ...options, versionRolling: false }, coin, LOADGEN_USER_AGENT);
    },
  };
}
