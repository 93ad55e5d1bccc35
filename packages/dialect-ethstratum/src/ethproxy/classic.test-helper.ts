import type { ShareVerdict } from '@lode/mining';
import type { CloseInfo, MalformedMessage } from '@lode/stratum-core';
import type {
  EthClassicAuthorizeRequest,
  EthClassicHashrateRequest,
  EthClassicServerHandler,
  EthClassicServerJob,
  EthClassicSubmitRequest,
  EthClassicSubscribeRequest,
} from '../classic/classic-contract';

export { LineProbe, settle } from '../testing/wire.test-helper';

/**
 * chfast/ethash `test/unittests/test_cases.hpp`, block 2 (epoch 0), copied
 * from facts/ethash.md §4.1: a real share (the final hash is used as the
 * boundary, as the chfast suite does). The epoch-0 seed hash is 32 zero
 * bytes (facts/ethash.md §2.3: keccak256 applied 0 times).
 */
export const CHFAST2 = {
  height: 2,
  headerHash: '100cbec5e5ef82991290d0d93d758f19082e71f234cf479192a8b94df6da6bfe',
  nonce: '307692cf71b12f6d',
  mix: 'e55d02c555a7969361cf74a9ec6211d8c14e4517930a00442f171bdb1698d175',
  final: 'ab9b13423cface72cbec8424221651bc2e384ef0f7a560e038fc68c8d8684829',
  seedHash: '0'.repeat(64),
} as const;

/**
 * chfast block 5000000 (epoch 166), facts/ethash.md §4.1: only its header
 * is used, as a second job on the wire.
 */
export const CHFAST5M = {
  height: 5000000,
  headerHash: 'bc544c2baba832600013bd5d1983f592e9557d04b0fb5ef7a100434a5fc8d52a',
  final: '0000000000001a5b18ae31b7417b7c045bc6dd78cc3b694c4bebfaefef6b3c56',
} as const;

/** The chfast block 2 share as an ethash job "job-2" (target = its final hash). */
export const JOB2: EthClassicServerJob = {
  jobId: 'job-2',
  height: CHFAST2.height,
  headerHash: CHFAST2.headerHash,
  seedHash: CHFAST2.seedHash,
  clean: true,
  target: BigInt(`0x${CHFAST2.final}`),
  algo: 'ethash',
  extranonce: Buffer.alloc(0),
};

/** An etchash job on the chfast block 5000000 header (seed reused, wire-only). */
export const JOB5M_ETC: EthClassicServerJob = {
  jobId: 'job-5m',
  height: CHFAST5M.height,
  headerHash: CHFAST5M.headerHash,
  seedHash: CHFAST2.seedHash,
  clean: true,
  target: BigInt(`0x${CHFAST5M.final}`),
  algo: 'etchash',
  extranonce: Buffer.alloc(0),
};

export const ACCEPTED: ShareVerdict = { accepted: true, difficulty: 1, shareDifficulty: 1.5, block: false, hash: 'ab'.repeat(32) };

/** A pool behind the session under test: records what it is asked and answers as told. */
export interface FakeClassicPool extends EthClassicServerHandler {
  subscribes: EthClassicSubscribeRequest[];
  authorizes: EthClassicAuthorizeRequest[];
  submits: EthClassicSubmitRequest[];
  hashrates: EthClassicHashrateRequest[];
  closedWith: CloseInfo[];
  verdict: ShareVerdict;
  /** worker names the pool refuses */
  refused: Set<string>;
  /** when set, submit waits for this promise before answering */
  gate?: Promise<void>;
}

export function fakeClassicPool(): FakeClassicPool {
  const pool: FakeClassicPool = {
    subscribes: [],
    authorizes: [],
    submits: [],
    hashrates: [],
    closedWith: [],
    verdict: ACCEPTED,
    refused: new Set(),
    async subscribe(req) {
      pool.subscribes.push(req);
      return { sessionId: '', extranonce: Buffer.alloc(0) };
    },
    async authorize(req) {
      pool.authorizes.push(req);
      return !pool.refused.has(req.workerName);
    },
    async submit(req) {
      pool.submits.push(req);
      if (pool.gate !== undefined) await pool.gate;
      return pool.verdict;
    },
    hashrate(req) {
      pool.hashrates.push(req);
    },
    closed(info) {
      pool.closedWith.push(info);
    },
  };
  return pool;
}

/** A {@link fakeClassicPool} that records what `malformed` gets. */
export interface ReportingClassicPool extends FakeClassicPool {
  reports: MalformedMessage[];
}

/** {@link fakeClassicPool} with a `malformed` that records each report; `throws` makes it throw after recording. */
export function reportingClassicPool(throws = false): ReportingClassicPool {
  const pool = fakeClassicPool() as ReportingClassicPool;
  pool.reports = [];
  pool.malformed = (message) => {
    pool.reports.push(message);
    if (throws) throw new Error('ban list down');
  };
  return pool;
}

/** A promise and its resolver. */
export function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
