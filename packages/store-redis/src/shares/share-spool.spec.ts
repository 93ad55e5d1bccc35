import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShareRecord } from '@lode/pool-engine';
import { LodeError } from '@lode/stratum-core';
import { ShareSpool } from './share-spool';

function share(seq: number): ShareRecord {
  return {
    id: `inst-a:${seq}`,
    instance: 'inst-a',
    coin: 'btc',
    worker: 'addr.rig1',
    jobId: '1a',
    height: 840000,
    difficulty: 1024,
    shareDifficulty: 2048.5,
    networkDifficulty: 8.6e13,
    verdict: 'accepted',
    remoteAddress: '127.0.0.1:50123',
    time: 1_700_000_000_000 + seq,
  };
}

describe('ShareSpool', () => {
  let dir: string;
  let spool: ShareSpool | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lode-spool-'));
  });
  afterEach(() => {
    spool?.close();
    spool = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when records are appended', () => {
    it('writes one JSON line per record and reads them back in order, in slices', () => {
      const path = join(dir, 's.spool');
      spool = new ShareSpool(path);
      expect(spool.open()).toEqual({ records: 0, tornBytes: 0 });
      for (let i = 0; i < 5; i++) spool.append(share(i));
      const lines = readFileSync(path, 'utf8').split('\n');
      expect(lines).toHaveLength(6);
      expect(lines[5]).toBe('');
      expect(JSON.parse(lines[0])).toEqual(share(0));
      const first = spool.read(0, 3);
      expect(first.entries.map((e) => e.record?.id)).toEqual(['inst-a:0', 'inst-a:1', 'inst-a:2']);
      const rest = spool.read(first.next, 3);
      expect(rest.entries.map((e) => e.record?.id)).toEqual(['inst-a:3', 'inst-a:4']);
      expect(spool.read(rest.next, 3).entries).toEqual([]);
      expect(spool.records).toBe(5);
    });

    it('is empty after truncate, and appends start again at byte 0', () => {
      spool = new ShareSpool(join(dir, 's.spool'), { fsync: true });
      spool.open();
      spool.append(share(1));
      spool.truncate();
      expect(spool.bytes).toBe(0);
      spool.append(share(2));
      expect(spool.read(0, 10).entries.map((e) => e.record?.id)).toEqual(['inst-a:2']);
    });
  });

  describe('when a previous process left the file', () => {
    it('counts its lines and cuts off an unterminated last line', () => {
      const path = join(dir, 's.spool');
      writeFileSync(path, `${JSON.stringify(share(1))}\n${JSON.stringify(share(2))}\n{"id":"inst-a:3","co`);
      spool = new ShareSpool(path);
      expect(spool.open()).toEqual({ records: 2, tornBytes: '{"id":"inst-a:3","co'.length });
      expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
      expect(spool.read(0, 10).entries.map((e) => e.record?.id)).toEqual(['inst-a:1', 'inst-a:2']);
    });

    it('reports a line that is not a record instead of failing the read', () => {
      const path = join(dir, 's.spool');
      writeFileSync(path, `not json\n{"a":1}\n${JSON.stringify(share(3))}\n`);
      spool = new ShareSpool(path);
      spool.open();
      const { entries } = spool.read(0, 10);
      expect(entries.map((e) => e.bad)).toEqual(['not json', '{"a":1}', undefined]);
      expect(entries[2].record).toEqual(share(3));
    });
  });

  describe('when the disk refuses the write', () => {
    it('throws LodeError(store) naming the record', () => {
      spool = new ShareSpool('/dev/full');
      spool.open();
      let error: unknown;
      try {
        spool.append(share(9));
      } catch (e) {
        error = e;
      }
      expect(LodeError.is(error, 'store')).toBe(true);
      expect((error as Error).message).toMatch(/cannot take record inst-a:9/);
    });
  });
});
