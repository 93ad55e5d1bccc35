import type { CoinJob, ShareSubmission } from '@lode/plugin-api';

/** A share whose hash met its job's network target, ready for {@link BlockSubmitter.submit}. */
export interface BlockCandidate {
  /** the share's job */
  job: CoinJob;
  /** the share as the dialect decoded it */
  share: ShareSubmission;
  /** the header plugin.buildHeader made for it */
  header: Buffer;
  /** the header's PoW hash, 32 bytes in hash order */
  hash: Buffer;
  /** the coin's extra proof from plugin.hashShare (ethash: the mix digest), when any */
  seal?: Buffer;
  /** the block id from plugin.hashShare, when it differs from displayHash(hash) */
  blockHash?: string;
  /** worker name */
  worker: string;
}
