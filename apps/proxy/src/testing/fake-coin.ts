import { createHash } from 'node:crypto';
import type { CoinJob, CoinPlugin, ShareSubmission } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';

function sha256d(data: Buffer): Buffer {
  return createHash('sha256').update(createHash('sha256').update(data).digest()).digest();
}

/**
 * A stand-in for a coin plugin in unit specs, recording what the proxy
 * delegates to it: id "btc", Bitcoin's diff1 (0xffff * 2^208), a header of
 * the job id and the share's fields, hashed with node:crypto SHA-256d.
 */
export function fakeCoin(): CoinPlugin & { headers: ShareSubmission[] } {
  const headers: ShareSubmission[] = [];
  return {
    id: 'btc',
    name: 'Bitcoin (fake)',
    algorithm: 'sha256d',
    dialects: ['bitcoin'],
    diff1Target: 0xffffn << 208n,
    configSchema: {},
    headers,
    hasher: {
      implementation: 'node:crypto',
      hash: (header: Buffer) => sha256d(header),
      scan: async () => ({ hits: [], hashes: 0 }),
    },
    createNode: () => {
      throw new LodeError('plugin', 'no node');
    },
    createJob: () => {
      throw new LodeError('plugin', 'the fake coin builds no jobs');
    },
    checkShare: () => undefined,
    buildHeader: (job: CoinJob, share: ShareSubmission) => {
      headers.push(share);
      return Buffer.concat([Buffer.from(job.id), share.extranonce1, share.extranonce2, Buffer.from([share.ntime & 0xff, share.nonce & 0xff])]);
    },
    buildBlock: () => '',
    displayHash: (hash: Buffer) => Buffer.from(hash).reverse().toString('hex'),
  };
}
