import { LodeError, type WarthogWork } from '@lode/plugin-api';
import { sha256d } from '../hash/sha256d';
import { A1, SESSION, SHARE_PREFIX, SHARES } from '../testing/warthog-vectors.fixture';
import { buildWarthogHeader } from './build-warthog-header';
import { parseWarthogHeader } from './parse-warthog-header';
import { serializeWarthogHeader } from './serialize-warthog-header';

const bytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

/** The §6-H job's work, field by field from the facts. */
const WORK: WarthogWork = {
  dialect: 'warthog',
  prevHash: SESSION.prevHash,
  merklePrefix: SESSION.merklePrefix,
  version: SESSION.version,
  nbits: SESSION.nbits,
  ntime: SESSION.ntime,
};

describe('Warthog header', () => {
  describe('when block 1949766 is parsed (§6-A A1)', () => {
    const fields = parseWarthogHeader(bytes(A1.header));

    it('reads every integer big-endian and the hashes in byte order', () => {
      expect(fields).toEqual({
        prevHash: '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a2',
        nbits: 0x0ae7cde7,
        merkleRoot: 'f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea',
        version: 3,
        ntime: 0x66f2fefb,
        nonce: 0x2719fef5,
      });
    });

    it('serialises back to the same 80 bytes', () => {
      expect(serializeWarthogHeader(fields).toString('hex')).toBe(A1.header);
    });

    it('has the block id sha256d in digest order', () => {
      expect(sha256d(bytes(A1.header)).toString('hex')).toBe(A1.blockHash);
    });
  });

  describe('when the §6-H template header is parsed', () => {
    it('gives the work of the stratum job, and its sha256d is the job id', () => {
      const fields = parseWarthogHeader(bytes(SESSION.templateHeader));
      expect(fields).toMatchObject({ prevHash: WORK.prevHash, nbits: WORK.nbits, version: WORK.version, ntime: WORK.ntime, nonce: 0 });
      expect(sha256d(bytes(SESSION.templateHeader)).toString('hex')).toBe(SESSION.jobId);
    });

    it('is what the work gives with a zero extranonce and nonce', () => {
      expect(buildWarthogHeader(WORK, Buffer.alloc(4), Buffer.alloc(6), SESSION.ntime, 0).toString('hex')).toBe(SESSION.templateHeader);
    });
  });

  describe('when a share of §6-E is built', () => {
    it.each(SHARES)('gives the §6-E prefix with nonce $nonce as the last 4 bytes', ({ nonce, ...rest }) => {
      const header = buildWarthogHeader(WORK, bytes(SESSION.extranonce1), bytes(SESSION.extranonce2), SESSION.ntime, parseInt(nonce, 16));
      expect(header.toString('hex')).toBe(SHARE_PREFIX + nonce);
      if ('blockHash' in rest) expect(sha256d(header).toString('hex')).toBe(rest.blockHash);
    });

    it('refuses extranonces that are not 10 bytes together', () => {
      expect(() => buildWarthogHeader(WORK, bytes(SESSION.extranonce1), Buffer.alloc(2), SESSION.ntime, 0)).toThrow(
        expect.objectContaining({ kind: 'share' }) as unknown as Error,
      );
    });
  });

  describe('when fields are malformed', () => {
    it('names the field', () => {
      expect(() => buildWarthogHeader({ ...WORK, prevHash: 'zz' }, Buffer.alloc(4), Buffer.alloc(6), 0, 0)).toThrow(
        'prevHash "zz" is not an even-length hex string',
      );
      expect(() => buildWarthogHeader(WORK, Buffer.alloc(4), Buffer.alloc(6), 2 ** 32, 0)).toThrow(
        'header ntime must be a uint32, got 4294967296',
      );
      expect(() => parseWarthogHeader(Buffer.alloc(79))).toThrow(LodeError);
    });
  });
});
