import type { ShareRecord } from '@lode/pool-engine';
import { LodeError } from '@lode/stratum-core';
import { SHARE_FIELD_NAMES, shareRecordFromFields, shareRecordToFields, shareRecordValues } from './share-fields';

const record: ShareRecord = {
  id: 'pool-a:1:42',
  instance: 'pool-a',
  coin: 'btc',
  worker: 'bc1qexample.rig1',
  jobId: '1f',
  height: 840000,
  difficulty: 0.5,
  shareDifficulty: 0.731,
  networkDifficulty: 86_388_558_925_171.02,
  verdict: 'accepted',
  blockHash: '00000000000000000002a7c4c1e48d76c5a37902165a270156b7a8d72728a054',
  versionBits: 0x00002000,
  remoteAddress: '[::1]:50123',
  time: 1_700_000_000_123,
};

describe('shareRecordToFields', () => {
  describe('when a record has every field', () => {
    it('writes the names in order, numbers as decimal strings, and reads back the same record', () => {
      const fields = shareRecordToFields(record);
      expect(fields.filter((_, i) => i % 2 === 0)).toEqual([...SHARE_FIELD_NAMES]);
      expect(fields.slice(8, 16)).toEqual(['height', '840000', 'difficulty', '0.5', 'shareDifficulty', '0.731', 'networkDifficulty', '86388558925171.02']);
      expect(fields[fields.indexOf('versionBits') + 1]).toBe('8192');
      expect(shareRecordFromFields('btc', fields)).toEqual(record);
    });
  });

  describe('when optional fields are absent', () => {
    it('writes them as "" and reads them back absent', () => {
      const plain: ShareRecord = { ...record, blockHash: undefined, versionBits: undefined };
      delete plain.blockHash;
      delete plain.versionBits;
      expect(shareRecordValues(plain).slice(9, 12)).toEqual(['', '', '']);
      expect(shareRecordFromFields('btc', shareRecordToFields(plain))).toEqual(plain);
    });
  });

  describe('when a number is not a finite number', () => {
    it('throws LodeError(store) naming the field, for Infinity and for a bigint', () => {
      expect(() => shareRecordToFields({ ...record, networkDifficulty: Infinity })).toThrow(/networkDifficulty is Infinity/);
      let error: unknown;
      try {
        shareRecordToFields({ ...record, time: 1n as unknown as number });
      } catch (e) {
        error = e;
      }
      expect(LodeError.is(error, 'store')).toBe(true);
      expect((error as Error).message).toMatch(/time is 1 \(bigint\)/);
    });
  });
});

describe('shareRecordFromFields', () => {
  describe('when a field is missing or not a number', () => {
    it('throws LodeError(store) naming it', () => {
      const fields = shareRecordToFields(record);
      expect(() => shareRecordFromFields('btc', fields.slice(0, -2))).toThrow(/no field time/);
      const bad = [...fields];
      bad[bad.indexOf('height') + 1] = 'x';
      expect(() => shareRecordFromFields('btc', bad)).toThrow(/height is "x"/);
    });
  });
});
