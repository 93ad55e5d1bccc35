import { LodeError } from '@lode/plugin-api';

/**
 * `CoinTemplate.raw` of the Ethereum coins: one `eth_getWork` answer in JSON
 * form (no bigint, so a job bus can carry it), plus the height it is for.
 */
export interface EthTemplateRaw {
  /** the seal hash (eth_getWork[0]), 64 lower-case hex, no 0x */
  headerHash: string;
  /** the epoch's seed hash (eth_getWork[1]), 64 lower-case hex, no 0x */
  seedHash: string;
  /** the network boundary (eth_getWork[2]), 64 lower-case hex, no 0x */
  boundary: string;
  /** the block number mined (eth_getWork[3], or the node's head + 1) */
  height: number;
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * Checks a template's `raw` member (from EthereumNode, or from a job bus).
 *
 * @returns the same object, typed
 * @throws LodeError('node') naming the member that is missing or malformed
 */
export function parseEthTemplateRaw(raw: unknown): EthTemplateRaw {
  if (typeof raw !== 'object' || raw === null) {
    throw new LodeError('node', `an Ethereum template's raw member must be { headerHash, seedHash, boundary, height }, got ${String(raw)}`);
  }
  const r = raw as Record<string, unknown>;
  for (const key of ['headerHash', 'seedHash', 'boundary'] as const) {
    const value = r[key];
    if (typeof value !== 'string' || !HASH.test(value)) {
      throw new LodeError('node', `an Ethereum template's ${key} is ${JSON.stringify(value)}, expected 64 lower-case hex digits`);
    }
  }
  const height = r['height'];
  if (typeof height !== 'number' || !Number.isSafeInteger(height) || height < 0) {
    throw new LodeError('node', `an Ethereum template's height is ${JSON.stringify(height)}, expected an integer >= 0`);
  }
  return r as unknown as EthTemplateRaw;
}
