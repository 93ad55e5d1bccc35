import { buildHeader, createBitcoinHasher, merkleRootFromBranches, sha256d, type BitcoinHasher } from '@lode/coin-bitcoin';
import { SHARE_KINDS } from '../../mix/share-kind';
import type { DialectDriver, DialectSession, DriverSessionOptions, SessionChannel } from '../dialect-driver';
import { ClassicSession, type ClassicCoin, type ClassicJob } from '../classic/classic-session';
import { hex8, hexParam } from '../classic/hex';
import { targetFromCompact } from '../classic/targets';
import { LOADGEN_USER_AGENT } from '../user-agent';

/** Stratum difficulty 1: target 0xffff * 2^208 (facts/bitcoin-stratum.md "Targets"). */
export const BITCOIN_DIFF1 = 0xffffn << 208n;

/** The version-rolling mask asked for in `mining.configure`: BIP 320's general-purpose bits (facts/field-notes.md §3(c)). */
const REQUESTED_MASK = '1fffe000';

/** A Bitcoin `mining.notify` job. */
export interface BitcoinJob extends ClassicJob {
  readonly prevhash: string;
  readonly coinb1: string;
  readonly coinb2: string;
  readonly branches: readonly Buffer[];
  readonly version: number;
  readonly nbits: number;
  /** 8 hex digits as sent; submitted unchanged */
  readonly ntime: string;
}

/**
 * Reads `mining.notify` params `[jobId, prevhash, coinb1, coinb2, branches,
 * version, nbits, ntime, cleanJobs]`.
 *
 * @throws Error naming the param and the rule
 * @see facts/bitcoin-stratum.md "Byte orders"
 */
export function parseBitcoinNotify(params: unknown[], target: bigint): BitcoinJob {
  if (params.length < 9) throw new Error(`mining.notify takes 9 params, got ${params.length}`);
  const [id, prevhash, coinb1, coinb2, branches, version, nbits, ntime, clean] = params;
  if (typeof id !== 'string' || id === '') throw new Error(`job id ${JSON.stringify(id)} is not a non-empty string`);
  if (typeof coinb1 !== 'string' || typeof coinb2 !== 'string' || !/^[0-9a-fA-F]*$/.test(coinb1 + coinb2)) throw new Error('coinb1 / coinb2 are not hex');
  if (!Array.isArray(branches)) throw new Error(`merkle branches ${JSON.stringify(branches)} are not a list`);
  const nbitsValue = Number.parseInt(hexParam(nbits, 'nbits', 8), 16);
  return {
    id,
    superseded: false,
    clean: clean === true,
    target,
    networkTarget: targetFromCompact(nbitsValue),
    prevhash: hexParam(prevhash, 'prevhash', 64),
    coinb1,
    coinb2,
    branches: branches.map((b, i) => Buffer.from(hexParam(b, `merkle branch ${i}`, 64), 'hex')),
    version: Number.parseInt(hexParam(version, 'version', 8), 16),
    nbits: nbitsValue,
    ntime: hexParam(ntime, 'ntime', 8),
  };
}

/** The Bitcoin half of a ClassicSession: coinbase, merkle root, header and SHA-256d with @lode/coin-bitcoin's native hasher. */
class BitcoinCoin implements ClassicCoin<BitcoinJob> {
  readonly diff1 = BITCOIN_DIFF1;

  constructor(private readonly hasher: BitcoinHasher) {}

  parseNotify(params: unknown[], target: bigint): BitcoinJob {
    return parseBitcoinNotify(params, target);
  }

  header(job: BitcoinJob, extranonce1: Buffer, extranonce2: Buffer, versionBits: number | undefined, versionMask: number | undefined): Buffer {
    const coinbase = Buffer.concat([Buffer.from(job.coinb1, 'hex'), extranonce1, extranonce2, Buffer.from(job.coinb2, 'hex')]);
    const mask = versionMask ?? 0;
    // BIP 310: nVersion = (job version & ~mask) | (version_bits & mask) (facts/bitcoin-stratum.md rule 7)
    const version = versionBits === undefined ? job.version : ((job.version & ~mask) | (versionBits & mask)) >>> 0;
    return buildHeader({
      prevhashStratum: job.prevhash,
      version,
      merkleRoot: merkleRootFromBranches(sha256d(coinbase), [...job.branches]),
      ntime: Number.parseInt(job.ntime, 16),
      nbits: job.nbits,
      nonce: 0,
    });
  }

  async scan(header: Buffer, start: number, count: number, target: bigint): Promise<number[]> {
    const result = await this.hasher.scan({ header, startNonce: start, count, target, threads: 1 });
    return result.hits.map((h) => h.nonce);
  }

  value(header: Buffer, nonce: number): bigint {
    const h = Buffer.from(header);
    h.writeUInt32LE(nonce >>> 0, 76);
    // the hash is a little-endian number (facts/bitcoin-stratum.md rule 1)
    return BigInt(`0x${Buffer.from(this.hasher.hash(h)).reverse().toString('hex')}`);
  }

  submitParams(worker: string, job: BitcoinJob, extranonce2: string, nonce: number, versionBits: number | undefined): unknown[] {
    const params: unknown[] = [worker, job.id, extranonce2, job.ntime, hex8(nonce)];
    if (versionBits !== undefined) params.push(hex8(versionBits));
    return params;
  }
}

/** A Bitcoin session: ClassicSession plus `mining.configure` for version rolling. */
class BitcoinSession extends ClassicSession<BitcoinJob> {
  protected override async configure(): Promise<void> {
    if (!this.options.versionRolling) return;
    const reply = await this.channel.request('mining.configure', [['version-rolling'], { 'version-rolling.mask': REQUESTED_MASK, 'version-rolling.min-bit-count': 2 }]);
    const result = reply.result as Record<string, unknown> | undefined;
    if (!reply.ok || result?.['version-rolling'] !== true) {
      throw new Error(`mining.configure: the pool did not grant version rolling: ${reply.code ?? ''} ${reply.message ?? JSON.stringify(reply.result)}`);
    }
    this.versionMask = Number.parseInt(hexParam(result['version-rolling.mask'], 'version-rolling.mask', 8), 16) >>> 0;
  }
}

/**
 * Bitcoin stratum V1 (mining.subscribe / authorize / submit, optional BIP
 * 310 version rolling): every share kind. Valid shares are found with the
 * native SHA-256d scanner of @lode/coin-bitcoin, so the pool's share
 * difficulty must be low (about difficulty * 2^32 hashes per share: 1e-7 is
 * 430 hashes, 1e-4 is 430,000).
 *
 * @throws LodeError('plugin') from createBitcoinHasher when the native addon
 *   is not built (`npx nx run @lode/coin-bitcoin:build-native`)
 */
export function createBitcoinDriver(): DialectDriver {
  const coin = new BitcoinCoin(createBitcoinHasher());
  return {
    name: 'bitcoin',
    title: 'Bitcoin stratum V1',
    kinds: new Set(SHARE_KINDS),
    maxRequestId: 2 ** 31 - 1,
    createSession(channel: SessionChannel, options: DriverSessionOptions): DialectSession {
      return new BitcoinSession(channel, options, coin, LOADGEN_USER_AGENT);
    },
  };
}
