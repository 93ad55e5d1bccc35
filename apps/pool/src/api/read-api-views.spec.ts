import { belongsTo, minerView, workerViewOfEntry, type WorkerView } from './read-api-views';

function worker(name: string, hashrate: number, lastShare: number | null): WorkerView {
  return { worker: name, hashrate, accepted: 1, stale: 0, rejectedTotal: 0, rejected: {}, lastShare };
}

describe('belongsTo', () => {
  describe('when the worker is named after an address', () => {
    it('matches "<address>" and "<address>.<rig>" only', () => {
      expect(belongsTo('0xb85150eb365e7df0941f0cf08235f987ba91506a', '0xb85150eb365e7df0941f0cf08235f987ba91506a.rig1')).toBe(true);
      expect(belongsTo('addr', 'addr')).toBe(true);
      expect(belongsTo('addr', 'addr.')).toBe(true);
      expect(belongsTo('addr', 'addr2.rig')).toBe(false);
      expect(belongsTo('addr', 'addr_rig')).toBe(false);
      expect(belongsTo('addr.rig', 'addr')).toBe(false);
      expect(belongsTo('ADDR', 'addr.rig')).toBe(false);
    });
  });
});

describe('workerViewOfEntry', () => {
  describe("when an engine's worker has stale and duplicate rejects", () => {
    it('splits the stale count out and keeps every reason', () => {
      const view = workerViewOfEntry({
        worker: 'a.b',
        accepted: 3,
        creditedDifficulty: 3,
        rejected: { stale: 2, duplicate: 1 },
        rejectedTotal: 3,
        lastShareTime: 5,
        hashrate: 7,
      });
      expect(view).toEqual({ worker: 'a.b', hashrate: 7, accepted: 3, stale: 2, rejectedTotal: 3, rejected: { stale: 2, duplicate: 1 }, lastShare: 5 });
    });
  });
});

describe('minerView', () => {
  describe('when blocks carry reward splits', () => {
    it('credits the split entries of its workers, skips malformed amounts, and keeps the newest share time', () => {
      const view = minerView(
        { coin: 'btc', address: 'm', time: 1, windowSeconds: 600 },
        [worker('m.a', 1, 10), worker('m.b', 3, null)],
        [
          { height: 2, hash: 'b', finder: 'm.b', time: 2, reward: '10', split: { 'm.a': '4', 'm.b': '1', x: '5' } },
          { height: 1, hash: 'a', finder: 'x', time: 1, reward: '10', split: { m: '2', 'm.a': 'NaN', x: '8' } },
        ],
        true,
      );
      expect(view).toMatchObject({ hashrate: 4, accepted: 2, lastShare: 10, credited: '7', blocksConsidered: 2 });
      expect(view.workers.map((w) => w.worker)).toEqual(['m.b', 'm.a']);
      expect(view.blocksFound.map((b) => b.height)).toEqual([2]);
    });
  });
});
