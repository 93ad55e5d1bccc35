import { decodeBusEntry, encodeBusTemplate, xreadEntries } from './bus-entry';

const TEMPLATE = {
  height: 840000,
  prevHash: '0000000000000000000320283a032748cef8227873ff4872689bf23f1cda83a5',
  networkTarget: 0x0000000000000000000342190000000000000000000000000000000000000000n,
  raw: { version: 536870912, transactions: [{ data: '01000000', fee: 1000 }], coinbasevalue: 312500000 },
};

describe('bus entries', () => {
  describe('when a template is encoded and decoded', () => {
    it('keeps every field, networkTarget as hex in between', () => {
      const json = encodeBusTemplate({ ...TEMPLATE, jobId: 'ignored', clean: true });
      expect(JSON.parse(json)).toEqual({ ...TEMPLATE, networkTarget: '342190000000000000000000000000000000000000000' });
      expect(decodeBusEntry('1-0', ['seq', '31', 'clean', '1', 'by', 'a', 'template', json])).toEqual({
        template: TEMPLATE,
        seq: 31,
        clean: true,
      });
    });

    it("refuses a raw that JSON cannot hold with LodeError('store')", () => {
      expect(() => encodeBusTemplate({ ...TEMPLATE, raw: { fee: 1n } })).toThrow(expect.objectContaining({ kind: 'store' }));
    });
  });

  describe('when an entry is malformed', () => {
    it("throws LodeError('store') naming the entry", () => {
      expect(() => decodeBusEntry('7-0', ['clean', '1', 'template', '{}'])).toThrow(/bus entry 7-0/);
      expect(() => decodeBusEntry('7-1', ['seq', '2', 'template', '{"height":1,"prevHash":"aa","networkTarget":"0x5"}'])).toThrow(
        expect.objectContaining({ kind: 'store' }),
      );
      expect(() => decodeBusEntry('7-2', ['seq', '2', 'template', 'nope'])).toThrow(/not JSON/);
    });
  });

  describe('when an XREAD reply is read', () => {
    const entries = [
      ['1-0', ['seq', '1']],
      ['2-0', ['seq', '2']],
    ];

    it('accepts the RESP2 / legacy shape, the flattened RESP3 map and the RESP3 object', () => {
      expect(xreadEntries([['lode:{btc}:bus', entries]])).toEqual(entries);
      expect(xreadEntries(['lode:{btc}:bus', entries])).toEqual(entries);
      expect(xreadEntries({ 'lode:{btc}:bus': entries })).toEqual(entries);
    });

    it('gives nothing for a timed-out BLOCK (null)', () => {
      expect(xreadEntries(null)).toEqual([]);
    });
  });
});
