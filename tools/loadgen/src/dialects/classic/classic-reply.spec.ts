import { BITCOIN_DIFF1 } from '../bitcoin/bitcoin-driver';
import { classicReason, readClassicReply } from './classic-reply';
import { targetFromCompact, targetFromDifficulty } from './targets';

describe('readClassicReply and classicReason', () => {
  const reasonOf = (line: string): string => {
    const reply = readClassicReply(JSON.parse(line) as Record<string, unknown>, 0);
    return reply.ok ? 'accepted' : classicReason(reply);
  };

  describe('when the pool speaks Lode / NOMP Stratum v1 codes (dialect-bitcoin BitcoinErrorCodes)', () => {
    it('maps 21 stale, 22 duplicate, 23 low difficulty, 24 unauthorized, 25 not subscribed, JSON-RPC codes to bad request', () => {
      expect(reasonOf('{"id":3,"result":true,"error":null}')).toBe('accepted');
      expect(reasonOf('{"id":3,"result":null,"error":[21,"Job not found (stale)",null]}')).toBe('stale');
      expect(reasonOf('{"id":3,"result":null,"error":[22,"Duplicate share",null]}')).toBe('duplicate');
      expect(reasonOf('{"id":3,"result":null,"error":[23,"Low difficulty share",null]}')).toBe('low-difficulty');
      expect(reasonOf('{"id":3,"result":null,"error":[24,"Unauthorized worker",null]}')).toBe('unauthorized');
      expect(reasonOf('{"id":3,"result":null,"error":[25,"Not subscribed",null]}')).toBe('not-subscribed');
      expect(reasonOf('{"id":null,"result":null,"error":[-32700,"invalid JSON",null]}')).toBe('bad-request');
      expect(reasonOf('{"id":9,"result":null,"error":[-32602,"mining.submit takes 5 parameters, got 2",null]}')).toBe('bad-request');
    });

    it("reads code 20 by its message: an unknown job id, or other", () => {
      expect(reasonOf(`{"id":3,"result":null,"error":[20,"job feedface99 is not one of the session's current jobs",null]}`)).toBe('unknown-job');
      expect(reasonOf('{"id":3,"result":null,"error":[20,"ntime out of range",null]}')).toBe('other');
      expect(reasonOf('{"id":3,"result":false,"error":null}')).toBe('other');
    });
  });
});

describe('targets', () => {
  it('difficulty 0.001 gives 000003e7fc18 followed by 52 zero hex digits (facts/bitcoin-stratum.md "Targets")', () => {
    expect(targetFromDifficulty(0.001, BITCOIN_DIFF1).toString(16).padStart(64, '0')).toBe(`000003e7fc18${'0'.repeat(52)}`);
    expect(targetFromDifficulty(1, BITCOIN_DIFF1)).toBe(0xffffn << 208n);
  });

  it('nbits 1d00ffff is the difficulty-1 target (facts/bitcoin-stratum.md "Targets")', () => {
    expect(targetFromCompact(0x1d00ffff)).toBe(0xffffn << 208n);
  });
});
