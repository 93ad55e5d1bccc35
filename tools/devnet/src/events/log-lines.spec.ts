import { formatLogLine } from './log-lines';

const HASH = `0000${'ab'.repeat(30)}cd`;

describe('formatLogLine', () => {
  describe('when printing text', () => {
    it('writes the greppable lines of the CLI help', () => {
      expect(formatLogLine({ event: 'listening', url: 'http://127.0.0.1:18443' }, false)).toBe('devnet: listening on http://127.0.0.1:18443');
      expect(
        formatLogLine({ event: 'block', height: 3, hash: HASH, coinbaseTag: '/Lode/', txCount: 2, time: 1, size: 300, weight: 1200 }, false),
      ).toBe(`devnet: block 3 accepted ${HASH} by coinbase tag /Lode/ (2 txs)`);
      expect(formatLogLine({ event: 'rejected', reason: 'high-hash', hash: HASH }, false)).toBe(`devnet: block rejected: high-hash (block ${HASH})`);
      expect(formatLogLine({ event: 'rejected', reason: 'Block decode failed' }, false)).toBe('devnet: block rejected: Block decode failed');
      expect(formatLogLine({ event: 'stopped' }, false)).toBe('devnet: stopped');
    });

    it('names a block without a coinbase tag "(none)"', () => {
      expect(
        formatLogLine({ event: 'block', height: 1, hash: HASH, coinbaseTag: '', txCount: 1, time: 1, size: 1, weight: 4 }, false),
      ).toContain('by coinbase tag (none)');
    });
  });

  describe('when printing JSON', () => {
    it('writes the event as one JSON object', () => {
      expect(JSON.parse(formatLogLine({ event: 'max-blocks', blocks: 5 }, true))).toEqual({ event: 'max-blocks', blocks: 5 });
    });
  });
});
