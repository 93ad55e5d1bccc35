import { firstValueFrom, toArray } from 'rxjs';
import { createLinePair } from './line-pair';

describe('createLinePair', () => {
  describe('when lines are sent', () => {
    it('delivers them to the other end in order, asynchronously', async () => {
      const [a, b] = createLinePair();
      const got: string[] = [];
      b.lines$.subscribe((l) => got.push(l));
      a.send('1');
      a.send('2');
      expect(got).toEqual([]);
      const all = firstValueFrom(b.lines$.pipe(toArray()));
      a.send('3');
      a.close('done');
      await all;
      expect(got).toEqual(['1', '2', '3']);
    });
  });

  describe('when one end closes', () => {
    it('closes both, byPeer only on the other end, after the lines sent before', async () => {
      const [a, b] = createLinePair();
      const lines = firstValueFrom(b.lines$.pipe(toArray()));
      a.send('last words');
      a.close('bye');
      expect(a.isClosed).toBe(true);
      expect(b.isClosed).toBe(false);
      await expect(firstValueFrom(a.closed$)).resolves.toEqual({ reason: 'bye', byPeer: false });
      await expect(firstValueFrom(b.closed$)).resolves.toEqual({ reason: 'bye', byPeer: true });
      await expect(lines).resolves.toEqual(['last words']);
      expect(() => b.send('dropped')).not.toThrow();
    });
  });

  describe('when more lines are queued than the cap', () => {
    it('closes with the reason', async () => {
      const [a, b] = createLinePair({ maxQueuedLines: 2 });
      a.send('1');
      a.send('2');
      a.send('3');
      await expect(firstValueFrom(a.closed$)).resolves.toEqual({
        reason: 'send queue over 2 lines (peer not reading)',
        byPeer: false,
      });
      await expect(firstValueFrom(b.closed$)).resolves.toMatchObject({ byPeer: true });
    });
  });
});
