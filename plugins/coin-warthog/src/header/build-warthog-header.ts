import type { WarthogWork } from '@lode/plugin-api';
import { decodeHex } from '../encoding/hex';
import { warthogMerkleRoot } from '../merkle/warthog-merkle-root';
import { serializeWarthogHeader } from './serialize-warthog-header';

/**
 * The header a share (or a miner's nonce range) describes, from the job's
 * WarthogWork: prevHash ‖ nbits ‖ SHA-256(merklePrefix ‖ extranonce1 ‖
 * extranonce2) ‖ version ‖ ntime ‖ nonce.
 *
 * @param work the job's work (what `mining.notify` carries)
 * @param extranonce1 the session's extranonce1
 * @param extranonce2 the miner's extranonce2; the two are 10 bytes together
 * @param ntime uint32 Unix seconds (the submit's ntime)
 * @param nonce uint32, written big-endian at bytes 76..79: the stratum nonce
 *   hex "00002df1" is the number 0x2df1
 * @returns 80 bytes
 * @throws LodeError('share') when the extranonces are not 10 bytes together;
 *   LodeError('protocol') for malformed work or a number that is not a uint32
 * @see facts/warthog.md §2, §4.4, §6-E
 */
export function buildWarthogHeader(work: WarthogWork, extranonce1: Buffer, extranonce2: Buffer, ntime: number, nonce: number): Buffer {
  const prefix = decodeHex(work.merklePrefix, 'merklePrefix', [32, 64]);
  return serializeWarthogHeader({
    prevHash: work.prevHash,
    nbits: work.nbits,
    merkleRoot: warthogMerkleRoot(prefix, extranonce1, extranonce2).toString('hex'),
    version: work.version,
    ntime,
    nonce,
  });
}
