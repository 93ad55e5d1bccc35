import type { CoinTemplate, JobContext } from '../coin-plugin';

/**
 * One share of a conformance fixture: what the miner sent, and what the
 * coin's own sources say its header and PoW hash are. Values are hex, as
 * printed by the source (never computed by the plugin under test).
 */
export interface ConformanceShare {
  /** what the vector is ("chfast block 2", "Bitcoin block 125552") */
  name: string;
  /** where the expected values come from: a facts file and section, a BIP, a test suite */
  source: string;
  /** extranonce1, hex (its size is the job context's extranonce1Size) */
  extranonce1: string;
  /** extranonce2, hex */
  extranonce2: string;
  /** uint32 seconds (0 for coins without ntime in shares) */
  ntime: number;
  /** uint32 (0 for coins whose nonce lives in the extranonces, e.g. ethash) */
  nonce: number;
  /** rolled version bits, when the vector has them */
  versionBits?: number;
  /** the header buildHeader must give, hex; absent when the source does not print it */
  header?: string;
  /** the PoW hash (hashShare's or hasher.hash's), hex in the order the plugin returns it */
  hash: string;
  /** the hash as explorers print it (what displayHash(hash) must give), when the source prints it */
  display?: string;
  /**
   * the block id hashShare returns beside the hash (PowResult.blockHash), for
   * coins whose block id is not displayHash(hash) (Warthog: sha256d of the header)
   */
  blockHash?: string;
}

/**
 * A bare header and its PoW hash, checked through `hasher.hash` alone: for a
 * real block whose header the plugin cannot rebuild through createJob (a
 * Bitcoin coinbase is the pool's own), so that the hash still meets a real
 * chain's value. Not for epoch-based coins (their NativeHasher cannot hash a
 * bare header).
 */
export interface ConformanceHeaderVector {
  /** what the vector is ("testnet3 block 1263442") */
  name: string;
  /** where the values come from: a facts file and section */
  source: string;
  /** the header as the coin hashes it, hex */
  header: string;
  /** hasher.hash(header), hex in the order the plugin returns it */
  hash: string;
  /** the hash as explorers print it (what displayHash(hash) must give), when the source prints it */
  display?: string;
}

/**
 * A coin plugin's fixture for {@link describePluginConformance}: how to find
 * the plugin, a config section, a template, and real vectors.
 */
export interface PluginConformanceFixture {
  /** the plugin's package name as discovery finds it ("@lode/coin-bitcoin") */
  packageName: string;
  /** the directory discovery resolves from: the plugin's own root works (its package.json names it) */
  from: string;
  /** the coin under test, one of the manifest's `coins` */
  coinId: string;
  /** a valid config section for the coin (createJob and extranonceSizes get it) */
  config: Record<string, unknown>;
  /** a template the coin's createJob takes */
  template: CoinTemplate;
  /** the job context; default `{jobId: 'conformance-1'}` with the coin's extranonceSizes (else 4 + 4) */
  context?: JobContext;
  /** at least one share with its expected header and hash */
  shares: ConformanceShare[];
  /** real headers hashed through hasher.hash alone (see ConformanceHeaderVector); default none */
  headerVectors?: ConformanceHeaderVector[];
  /** difficulties whose targets must round-trip (default [1, 1000, 0.001, 123456.789]) */
  difficulties?: number[];
  /**
   * the scan check: from the first share, walk `count` nonces (default 256)
   * and compare the hits with what hashing each nonce says; `target` must be
   * easy enough for a few hits (default diff1Target scaled so that about 1
   * in 16 hashes is a hit)
   */
  scan?: {
    count?: number;
    target?: bigint;
    /**
     * the first nonce of the range (uint32, or the 64-bit extranonce1 ‖
     * extranonce2 of epoch-based coins); default the first share's own nonce
     */
    startNonce?: bigint;
  };
  /** ms a test may take (epoch-based coins build a light cache first); default 60000 */
  timeoutMs?: number;
}
