import { BlockList } from 'node:net';
import type { ShareVerdict } from '@lode/mining';
import { BanManager, type BanEvent, type BanManagerOptions } from './ban-manager';

const START = 1_700_000_000_000; // a multiple of every slice length used here

/** a manager on a clock the test moves by hand (seconds after START), every rule off unless given */
function setup(options: BanManagerOptions = {}): { bans: BanManager; at: (seconds: number) => void; events: BanEvent[] } {
  let t = START;
  const bans = new BanManager({
    invalidShares: false,
    malformedMessages: false,
    authFailures: false,
    connectionRate: false,
    ...options,
    now: () => t,
  });
  const events: BanEvent[] = [];
  bans.bans$.subscribe((e) => events.push(e));
  return { bans, at: (seconds) => (t = START + seconds * 1000), events };
}

const A = '203.0.113.7';
const B = '198.51.100.9';
const rejected: ShareVerdict = { accepted: false, reason: 'low-difficulty', message: 'Low difficulty share' };
const accepted: ShareVerdict = { accepted: true, difficulty: 1, shareDifficulty: 2, block: false, hash: '00' };

describe('BanManager: invalid-share ratio', () => {
  const rule = { minShares: 10, windowSeconds: 100, maxInvalidRatio: 0.5, banSeconds: 60 };

  it('judges the ratio only from minShares shares on, and bans at the ratio', () => {
    const { bans, events } = setup({ invalidShares: rule });
    for (let i = 0; i < 9; i++) expect(bans.recordShare(A, false)).toBe(false);
    expect(bans.recordShare(A, false)).toBe(true);
    expect(events).toEqual([{ address: A, rule: 'invalid-shares', until: START + 60_000, reason: '10 of 10 shares invalid (100%) in 100 s' }]);
  });

  it('bans at exactly maxInvalidRatio, not below it', () => {
    const below = setup({ invalidShares: rule });
    for (let i = 0; i < 6; i++) below.bans.recordShare(A, accepted);
    for (let i = 0; i < 4; i++) expect(below.bans.recordShare(A, rejected)).toBe(false); // 4 of 10 = 40 %
    const at = setup({ invalidShares: rule });
    for (let i = 0; i < 5; i++) at.bans.recordShare(A, accepted);
    for (let i = 0; i < 4; i++) expect(at.bans.recordShare(A, rejected)).toBe(false); // 4 of 9: fewer than minShares
    expect(at.bans.recordShare(A, rejected)).toBe(true); // 5 of 10 = 50 %
    expect(at.events[0]?.reason).toBe('5 of 10 shares invalid (50%) in 100 s');
  });

  it('forgets shares older than the window', () => {
    const { bans, at } = setup({ invalidShares: rule });
    at(0);
    for (let i = 0; i < 9; i++) bans.recordShare(A, false);
    at(101);
    expect(bans.recordShare(A, false)).toBe(false); // the 9 left the window: 1 of 1
  });

  it("does not count 'not-recorded' (the pool's store failed)", () => {
    const { bans } = setup({ invalidShares: { ...rule, minShares: 1, maxInvalidRatio: 1 } });
    expect(bans.recordShare(A, { accepted: false, reason: 'not-recorded', message: 'store down' })).toBe(false);
    expect(bans.trackedAddresses).toBe(0);
    expect(bans.recordShare(A, { accepted: false, reason: 'stale', message: 'Job not found (stale)' })).toBe(true);
  });

  it('keeps addresses apart', () => {
    const { bans } = setup({ invalidShares: rule });
    for (let i = 0; i < 10; i++) bans.recordShare(A, false);
    expect(bans.isBanned(A)).toBe(true);
    expect(bans.isBanned(B)).toBe(false);
  });
});

describe.each([
  ['malformedMessages', 'malformed-messages', 'malformed messages', (b: BanManager, a: string) => b.recordMalformed(a)],
  ['authFailures', 'auth-failures', 'failed authorisations', (b: BanManager, a: string) => b.recordAuthFailure(a)],
  ['connectionRate', 'connection-rate', 'new connections', (b: BanManager, a: string) => b.recordConnection(a)],
] as const)('BanManager: %s', (option, rule, what, record) => {
  const settings = { max: 3, windowSeconds: 10, banSeconds: 30 };

  it(`bans at more than max ${what} within the window`, () => {
    const { bans, at, events } = setup({ [option]: settings });
    at(0);
    expect(record(bans, A)).toBe(false);
    at(3);
    expect(record(bans, A)).toBe(false);
    at(6);
    expect(record(bans, A)).toBe(false);
    at(9.999);
    expect(record(bans, A)).toBe(true);
    expect(events).toEqual([{ address: A, rule, until: START + 9_999 + 30_000, reason: `more than 3 ${what} in 10 s` }]);
  });

  it(`does not ban ${what} spread over more than the window`, () => {
    const { bans, at } = setup({ [option]: settings });
    for (const s of [0, 4, 8, 10, 14, 18, 20]) {
      at(s);
      expect(record(bans, A)).toBe(false);
    }
  });

  it('lets the ban expire after banSeconds', () => {
    const { bans, at } = setup({ [option]: settings });
    at(0);
    for (let i = 0; i < 4; i++) record(bans, A);
    at(29.999);
    expect(bans.isBanned(A)).toBe(true);
    at(30);
    expect(bans.isBanned(A)).toBe(false);
    expect(bans.banReason(A)).toBeUndefined();
    expect(record(bans, A)).toBe(false); // counts start over after a ban
  });

  it('can be turned off', () => {
    const { bans } = setup({ [option]: false });
    for (let i = 0; i < 100; i++) expect(record(bans, A)).toBe(false);
    expect(bans.trackedAddresses).toBe(0);
  });
});

describe('BanManager: defaults', () => {
  it('applies the default rules when none are given', () => {
    const bans = new BanManager({ now: () => START });
    for (let i = 0; i < 10; i++) expect(bans.recordAuthFailure(A)).toBe(false);
    expect(bans.recordAuthFailure(A)).toBe(true); // default: more than 10 in 60 s
    expect(bans.list()).toEqual([
      { address: A, rule: 'auth-failures', since: START, until: START + 600_000, reason: 'more than 10 failed authorisations in 60 s' },
    ]);
  });

  it('refuses rule values out of range', () => {
    expect(() => new BanManager({ invalidShares: { minShares: 10, windowSeconds: 60, maxInvalidRatio: 1.5, banSeconds: 60 } })).toThrow(
      /maxInvalidRatio 1.5 is not in \(0, 1\]/,
    );
    expect(() => new BanManager({ connectionRate: { max: 0, windowSeconds: 10, banSeconds: 10 } })).toThrow(/connectionRate.max 0 is not an integer >= 1/);
    expect(() => new BanManager({ malformedMessages: { max: 5, windowSeconds: 0, banSeconds: 10 } })).toThrow(/malformedMessages.windowSeconds 0/);
  });
});

describe('BanManager: allow-list', () => {
  const rule = { max: 1, windowSeconds: 60, banSeconds: 60 };

  it('never bans nor tracks IPv4 addresses in an allowed CIDR range', () => {
    const { bans, events } = setup({ allowList: ['10.0.0.0/8', '127.0.0.1'], malformedMessages: rule });
    for (let i = 0; i < 5; i++) expect(bans.recordMalformed('10.20.30.40')).toBe(false);
    for (let i = 0; i < 5; i++) expect(bans.recordMalformed('::ffff:127.0.0.1')).toBe(false);
    expect(bans.ban('10.1.1.1', 60)).toBeUndefined();
    expect(bans.trackedAddresses).toBe(0);
    expect(events).toEqual([]);
    expect(bans.isAllowed('10.255.0.1')).toBe(true);
    bans.recordMalformed('11.0.0.1');
    expect(bans.recordMalformed('11.0.0.1')).toBe(true);
  });

  it('never bans IPv6 addresses in an allowed CIDR range', () => {
    const { bans } = setup({ allowList: ['2001:db8::/32', '::1'], malformedMessages: rule });
    for (let i = 0; i < 5; i++) expect(bans.recordMalformed('2001:db8:1:2::3')).toBe(false);
    for (let i = 0; i < 5; i++) expect(bans.recordMalformed('::1')).toBe(false);
    bans.recordMalformed('2001:db9::1');
    expect(bans.recordMalformed('2001:db9::1')).toBe(true);
  });

  it('refuses an entry that is not an address or range', () => {
    expect(() => new BanManager({ allowList: ['pool.example.com'] })).toThrow(/allow-list entry 'pool.example.com'/);
  });

  it('checks the allow-list once per address, not once per share (bounded by maxTrackedAddresses)', () => {
    const check = jest.spyOn(BlockList.prototype, 'check');
    try {
      const { bans } = setup({
        allowList: ['10.0.0.0/8'],
        maxTrackedAddresses: 2,
        invalidShares: { minShares: 1000, windowSeconds: 60, maxInvalidRatio: 0.5, banSeconds: 60 },
      });
      for (let i = 0; i < 50; i++) {
        expect(bans.recordShare('10.0.0.1', false)).toBe(false);
        expect(bans.recordShare('203.0.113.7', true)).toBe(false);
      }
      expect(check).toHaveBeenCalledTimes(2);
      expect(bans.trackedAddresses).toBe(1);
      for (const a of ['203.0.113.8', '203.0.113.9', '10.0.0.1']) bans.recordShare(a, true);
      // three more addresses through a cache of 2: '10.0.0.1' was forgotten and is checked again, and still allowed
      expect(check).toHaveBeenCalledTimes(5);
      expect(bans.isAllowed('10.0.0.1')).toBe(true);
    } finally {
      check.mockRestore();
    }
  });
});

describe('BanManager: bans', () => {
  const rule = { max: 1, windowSeconds: 60, banSeconds: 120 };

  it('treats an IPv4-mapped IPv6 address and its IPv4 address as one', () => {
    const { bans, events } = setup({ malformedMessages: rule });
    bans.recordMalformed('::ffff:203.0.113.7');
    expect(bans.recordMalformed(A)).toBe(true);
    expect(events[0]?.address).toBe(A);
    expect(bans.isBanned('::ffff:203.0.113.7')).toBe(true);
  });

  it('gives the reason StratumServer logs when it refuses a connection', () => {
    const { bans } = setup({ malformedMessages: rule });
    bans.recordMalformed(A, 2);
    expect(bans.banReason(A)).toBe('banned until 2023-11-14T22:15:20.000Z (malformed-messages: more than 1 malformed messages in 60 s)');
  });

  it('announces a ban once while it lasts, and records nothing more for a banned address', () => {
    const { bans, events } = setup({ malformedMessages: rule, authFailures: rule });
    bans.recordMalformed(A, 5);
    bans.recordAuthFailure(A);
    bans.recordAuthFailure(A);
    expect(events).toHaveLength(1);
    expect(bans.trackedAddresses).toBe(0);
  });

  it('lists bans in force and lifts one with unban', () => {
    const { bans, at } = setup({ malformedMessages: rule });
    at(0);
    bans.recordMalformed(A, 2);
    at(10);
    bans.ban(B, 30, 'abuse report');
    expect(bans.list()).toEqual([
      { address: A, rule: 'malformed-messages', since: START, until: START + 120_000, reason: 'more than 1 malformed messages in 60 s' },
      { address: B, rule: 'manual', since: START + 10_000, until: START + 40_000, reason: 'abuse report' },
    ]);
    expect(bans.unban(A)).toBe(true);
    expect(bans.unban(A)).toBe(false);
    expect(bans.isBanned(A)).toBe(false);
    at(40);
    expect(bans.list()).toEqual([]);
  });

  it('completes bans$ on dispose', () => {
    const { bans } = setup();
    let completed = false;
    bans.bans$.subscribe({ complete: () => (completed = true) });
    bans.dispose();
    expect(completed).toBe(true);
  });
});

describe('BanManager: bounded memory', () => {
  it('forgets the least recently seen address beyond maxTrackedAddresses', () => {
    const { bans } = setup({ malformedMessages: { max: 1, windowSeconds: 60, banSeconds: 60 }, maxTrackedAddresses: 3 });
    for (const a of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']) bans.recordMalformed(a);
    expect(bans.trackedAddresses).toBe(3);
    // 192.0.2.1 was forgotten: its next malformed message is its first again
    expect(bans.recordMalformed('192.0.2.1')).toBe(false);
    // 192.0.2.4 is still counted
    expect(bans.recordMalformed('192.0.2.4')).toBe(true);
  });

  it('prunes addresses silent for longer than the longest window, and expired bans', () => {
    const { bans, at } = setup({ malformedMessages: { max: 1, windowSeconds: 60, banSeconds: 30 }, authFailures: { max: 5, windowSeconds: 120, banSeconds: 30 } });
    at(0);
    bans.recordMalformed('192.0.2.1');
    bans.recordMalformed(A, 2);
    at(100);
    bans.recordMalformed('192.0.2.2');
    at(120);
    bans.prune();
    expect(bans.trackedAddresses).toBe(1);
    expect(bans.list()).toEqual([]);
  });

  it('holds at most maxBans bans, lifting the oldest', () => {
    const { bans } = setup({ maxBans: 2 });
    bans.ban('192.0.2.1', 60);
    bans.ban('192.0.2.2', 60);
    bans.ban('192.0.2.3', 60);
    expect(bans.list().map((b) => b.address)).toEqual(['192.0.2.2', '192.0.2.3']);
  });
});
