import { BlockList } from 'node:net';
import { AddressList, normalizeAddress } from './address';

describe('normalizeAddress', () => {
  it('turns an IPv4-mapped IPv6 address into its IPv4 address', () => {
    expect(normalizeAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeAddress('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });

  it('writes IPv6 in canonical lower-case compressed form (RFC 5952)', () => {
    expect(normalizeAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normalizeAddress('2001:db8::1')).toBe('2001:db8::1');
  });

  it('keeps IPv4 and non-IP text as they are', () => {
    expect(normalizeAddress('198.51.100.1')).toBe('198.51.100.1');
    expect(normalizeAddress('unknown')).toBe('unknown');
    expect(normalizeAddress('not:an:address')).toBe('not:an:address');
  });

  describe('when called for every share', () => {
    afterEach(() => jest.restoreAllMocks());

    it('runs no regular expression for an IPv4 address', () => {
      const exec = jest.spyOn(RegExp.prototype, 'exec');
      const test = jest.spyOn(RegExp.prototype, 'test');
      for (let i = 0; i < 3; i++) expect(normalizeAddress('198.51.100.1')).toBe('198.51.100.1');
      expect(exec).not.toHaveBeenCalled();
      expect(test).not.toHaveBeenCalled();
    });

    it('answers again the same for IPv6 and mapped forms, past its 4096 remembered answers too', () => {
      for (let round = 0; round < 2; round++) {
        for (let i = 1; i <= 5000; i++) {
          expect(normalizeAddress(`2001:DB8:0:0:0:0:${i.toString(16)}:1`)).toBe(`2001:db8::${i.toString(16)}:1`);
        }
        expect(normalizeAddress('::FFFF:203.0.113.7')).toBe('203.0.113.7');
        expect(normalizeAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
      }
    });
  });
});

describe('AddressList', () => {
  const list = new AddressList(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::1']);

  it('matches IPv4 CIDR ranges and single addresses', () => {
    expect(list.has('10.0.0.1')).toBe(true);
    expect(list.has('10.255.255.255')).toBe(true);
    expect(list.has('11.0.0.1')).toBe(false);
    expect(list.has('192.0.2.7')).toBe(true);
    expect(list.has('192.0.2.8')).toBe(false);
  });

  it('matches IPv6 CIDR ranges and single addresses', () => {
    expect(list.has('2001:db8::5')).toBe(true);
    expect(list.has('2001:db8:ffff:ffff::1')).toBe(true);
    expect(list.has('2001:db9::1')).toBe(false);
    expect(list.has('::1')).toBe(true);
    expect(list.has('::2')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 peers against IPv4 entries', () => {
    expect(list.has('::ffff:10.1.2.3')).toBe(true);
    expect(list.has('::ffff:11.1.2.3')).toBe(false);
  });

  it('never matches text that is not an IP address', () => {
    expect(list.has('unknown')).toBe(false);
  });

  it('refuses entries that are not addresses or ranges', () => {
    expect(() => new AddressList(['example.com'])).toThrow(/allow-list entry 'example.com' is not an IP address or CIDR range/);
    expect(() => new AddressList(['10.0.0.0/33'])).toThrow(/prefix length '33', expected 0..32/);
    expect(() => new AddressList(['2001:db8::/129'])).toThrow(/prefix length '129', expected 0..128/);
    expect(() => new AddressList(['10.0.0.0/8/1'])).toThrow(/is not an IP address or CIDR range/);
  });

  describe('when the same address is asked again (BanManager asks for every share)', () => {
    afterEach(() => jest.restoreAllMocks());

    it('answers from its cache without checking the BlockList again, for allowed and refused addresses alike', () => {
      const check = jest.spyOn(BlockList.prototype, 'check');
      const cached = new AddressList(['10.0.0.0/8', '::1']);
      for (let i = 0; i < 5; i++) {
        expect(cached.has('10.1.2.3')).toBe(true);
        expect(cached.has('::ffff:10.1.2.3')).toBe(true);
        expect(cached.has('203.0.113.7')).toBe(false);
        expect(cached.has('::1')).toBe(true);
      }
      expect(check).toHaveBeenCalledTimes(4);
      expect(cached.cachedAnswers).toBe(4);
    });

    it('remembers at most maxCached answers, forgetting the oldest, and still answers right', () => {
      const check = jest.spyOn(BlockList.prototype, 'check');
      const bounded = new AddressList(['10.0.0.0/8'], { maxCached: 2 });
      expect([bounded.has('10.0.0.1'), bounded.has('10.0.0.2'), bounded.has('11.0.0.3')]).toEqual([true, true, false]);
      expect(bounded.cachedAnswers).toBe(2);
      expect(bounded.has('10.0.0.1')).toBe(true); // forgotten: checked again
      expect(bounded.has('11.0.0.3')).toBe(false); // still remembered
      expect(check).toHaveBeenCalledTimes(4);
      expect(bounded.cachedAnswers).toBe(2);
    });

    it('forgets in the order answers came, through many wraps of the bound', () => {
      const check = jest.spyOn(BlockList.prototype, 'check');
      const bounded = new AddressList(['10.0.0.0/8'], { maxCached: 3 });
      // the reference: a Map in insertion order losing its first key, as documented
      const reference = new Map<string, boolean>();
      let checks = 0;
      for (let i = 0; i < 600; i++) {
        const address = `10.0.${(i * 7919) % 5}.${(i * 31) % 2}`;
        if (!reference.has(address)) {
          checks++;
          if (reference.size >= 3) reference.delete(reference.keys().next().value as string);
          reference.set(address, true);
        }
        expect(bounded.has(address)).toBe(true);
        expect(check).toHaveBeenCalledTimes(checks);
      }
      expect(bounded.cachedAnswers).toBe(3);
    });

    it('remembers nothing with maxCached 0, and refuses a maxCached that is not an integer >= 0', () => {
      const none = new AddressList(['10.0.0.0/8'], { maxCached: 0 });
      expect(none.has('10.0.0.1')).toBe(true);
      expect(none.cachedAnswers).toBe(0);
      expect(() => new AddressList([], { maxCached: -1 })).toThrow(/maxCached -1 is not an integer >= 0/);
      expect(() => new AddressList([], { maxCached: 1.5 })).toThrow(/maxCached 1.5 is not an integer >= 0/);
    });
  });
});
