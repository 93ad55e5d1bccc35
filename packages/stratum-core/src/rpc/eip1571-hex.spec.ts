import { LodeError } from '../errors';
import { parseFixedHex, parseHexBoolean, parseHexNumber, toFixedHex, toHexBoolean, toHexNumber } from './eip1571-hex';

function protocolError(fn: () => unknown): LodeError {
  try {
    fn();
  } catch (e) {
    if (LodeError.is(e, 'protocol')) return e;
    throw e;
  }
  throw new Error('expected a LodeError(protocol)');
}

describe('EIP-1571 hex helpers', () => {
  describe('toHexNumber', () => {
    it('writes the spec\'s example 456 as "1c8", 0 as "0", and the values of the spec\'s messages', () => {
      // specs/003 "Conventions": 456 -> "1c8", not "01c8" nor "1C8"
      expect(toHexNumber(456)).toBe('1c8');
      expect(toHexNumber(0)).toBe('0');
      expect(toHexNumber(0n)).toBe('0');
      // "Session Handling - Hello": port 1234 -> "4d2", timeout 180 s -> "b4"
      expect(toHexNumber(1234)).toBe('4d2');
      expect(toHexNumber(180)).toBe('b4');
      // "Prepare for mining": epoch 220 -> "dc"
      expect(toHexNumber(220)).toBe('dc');
    });

    it('writes safe integers and bigints beyond 2^53 exactly', () => {
      expect(toHexNumber(Number.MAX_SAFE_INTEGER)).toBe('1fffffffffffff');
      expect(toHexNumber(2n ** 256n - 1n)).toBe('f'.repeat(64));
    });

    it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 53], [-1n]])(
      'throws LodeError(protocol) for %p',
      (n) => {
        expect(protocolError(() => toHexNumber(n)).message).toMatch(/hex number .* (is not a safe integer >= 0|is negative)/);
      },
    );
  });

  describe('parseHexNumber', () => {
    it('reads lower-case hex without 0x or leading zeros', () => {
      expect(parseHexNumber('1c8')).toBe(456n);
      expect(parseHexNumber('0')).toBe(0n);
      expect(parseHexNumber('4d2')).toBe(1234n);
      expect(parseHexNumber('f'.repeat(64))).toBe(2n ** 256n - 1n);
    });

    it.each([['01c8'], ['00'], ['1C8'], ['0x1c8'], [''], [' 1c8'], ['1c8 '], ['-1'], ['1g'], [456], [null], [undefined], [['1c8']]])(
      'refuses %p with LodeError(protocol) naming the value',
      (text) => {
        const e = protocolError(() => parseHexNumber(text));
        expect(e.message).toBe(
          `expected a hex number (lower-case digits, no 0x, no leading zeros), got ${text === undefined ? 'undefined' : JSON.stringify(text)}`,
        );
      },
    );

    it('round-trips with toHexNumber', () => {
      for (const n of [0n, 1n, 15n, 16n, 255n, 256n, 65535n, 2n ** 64n - 1n, 2n ** 64n]) {
        expect(parseHexNumber(toHexNumber(n))).toBe(n);
      }
    });

    it('cuts a long value short in the message', () => {
      expect(protocolError(() => parseHexNumber('0'.repeat(200))).message.length).toBeLessThan(160);
    });
  });

  describe('toHexBoolean / parseHexBoolean', () => {
    it('maps true <-> "1" and false <-> "0"', () => {
      expect(toHexBoolean(true)).toBe('1');
      expect(toHexBoolean(false)).toBe('0');
      expect(parseHexBoolean('1')).toBe(true);
      expect(parseHexBoolean('0')).toBe(false);
    });

    it.each([[true], [false], [1], [0], ['01'], ['true'], [''], [null]])('refuses %p', (text) => {
      expect(protocolError(() => parseHexBoolean(text)).message).toMatch(/^expected a hex boolean "0" or "1", got /);
    });
  });

  describe('toFixedHex / parseFixedHex', () => {
    it('keeps every digit, leading zeros included (the spec\'s "01ac" is not "1ac")', () => {
      // specs/003 "A detail of extranonce": "01ac" and "1ac" are different segments
      expect(parseFixedHex('01ac')).toEqual(Buffer.from([0x01, 0xac]));
      expect(toFixedHex(Buffer.from([0x01, 0xac]))).toBe('01ac');
      expect(toFixedHex(Buffer.from([0, 0, 0]))).toBe('000000');
    });

    it('reads "" as 0 bytes (mining.set cancels the extranonce with it)', () => {
      expect(parseFixedHex('')).toEqual(Buffer.alloc(0));
      expect(toFixedHex(Buffer.alloc(0))).toBe('');
    });

    it('accepts an upper-case hash and writes it back in lower case', () => {
      // specs/003 "Conventions": the lower-case rule does not apply to hashes
      const upper = '645CF20198C2F3861E947D4F67E3AB63B7B2E24DCC9095BD9123E7B33371F6CC';
      const buf = parseFixedHex(upper, 32);
      expect(buf.length).toBe(32);
      expect(toFixedHex(buf)).toBe(upper.toLowerCase());
    });

    it('checks the length when bytes is given', () => {
      expect(parseFixedHex('af4c', 2)).toEqual(Buffer.from([0xaf, 0x4c]));
      expect(protocolError(() => parseFixedHex('af4c00', 2)).message).toBe('hex value "af4c00" is 3 bytes, expected 2');
      expect(protocolError(() => parseFixedHex('', 32)).message).toBe('hex value "" is 0 bytes, expected 32');
    });

    it.each([['abc'], ['0xaf4c'], ['af 4c'], ['zz'], [0xaf4c], [null], [undefined], [Buffer.from([1])]])(
      'refuses %p with LodeError(protocol)',
      (text) => {
        expect(protocolError(() => parseFixedHex(text)).message).toMatch(
          /^expected hex bytes \(an even number of hex digits, no 0x\), got /,
        );
      },
    );
  });
});
