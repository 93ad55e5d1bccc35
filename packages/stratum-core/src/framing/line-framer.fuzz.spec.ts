import fc from 'fast-check';
import { LodeError } from '../errors';
import { LineFramer } from './line-framer';

/*
 * Property-based tests of the LineFramer (fast-check). Each property runs
 * FUZZ_RUNS cases (default below, small enough for CI); a longer run is
 * `FUZZ_RUNS=100000 npx jest -c packages/stratum-core/jest.config.cjs fuzz`.
 * A failure prints the seed and the shrunk counterexample; replay it with
 * FUZZ_SEED=<seed>.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const params = (numRuns = RUNS): fc.Parameters<unknown> => (SEED === undefined ? { numRuns } : { numRuns, seed: SEED });

const LF = 0x0a;
const CR = 0x0d;

/** Cuts `bytes` at the given positions (any order, duplicates allowed) into chunks; empty chunks included. */
function cut(bytes: Buffer, positions: number[]): Buffer[] {
  const at = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of at) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/**
 * The framer's documented behaviour, byte by byte: LF ends a line, one CR
 * before it is dropped, empty lines are skipped, a line is decoded as UTF-8
 * once complete; a line (complete, or partial and not just waiting for the LF
 * after a CR) over `max` bytes is an error that drops the chunk's lines, the
 * rest of the chunk and the partial line.
 */
class ReferenceFramer {
  private cur: number[] = [];
  constructor(private readonly max: number) {}

  push(chunk: Buffer): { lines: string[] } | { error: true } {
    const lines: string[] = [];
    for (const byte of chunk) {
      if (byte === LF) {
        const end = this.cur.length > 0 && this.cur[this.cur.length - 1] === CR ? this.cur.length - 1 : this.cur.length;
        const line = Buffer.from(this.cur.slice(0, end));
        this.cur = [];
        if (end > this.max) return this.fail();
        if (end > 0) lines.push(line.toString('utf8'));
        continue;
      }
      this.cur.push(byte);
      const pendingCr = this.cur.length === this.max + 1 && byte === CR;
      if (this.cur.length > this.max && !pendingCr) return this.fail();
    }
    return { lines };
  }

  get buffered(): number {
    return this.cur.length;
  }

  private fail(): { error: true } {
    this.cur = [];
    return { error: true };
  }
}

/** One line's bytes without LF; CR allowed anywhere. Mostly ASCII JSON-like text, sometimes raw bytes. */
const lineBytes = (maxLength: number): fc.Arbitrary<Buffer> =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength }).map((s) => Buffer.from(s.replace(/\n/g, ' '), 'utf8')),
    fc.uint8Array({ maxLength }).map((a) => Buffer.from(a.filter((x) => x !== LF))),
    fc.json({ maxDepth: 2 }).map((s) => Buffer.from(s, 'utf8')),
  );

const terminator = fc.constantFrom('\n', '\r\n');

describe('LineFramer (fuzz)', () => {
  describe('when valid lines arrive in arbitrary chunks', () => {
    it('returns exactly those lines, in order, decoded as UTF-8, however the bytes are cut', () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(lineBytes(200), terminator), { maxLength: 30 }),
          fc.array(fc.nat(), { maxLength: 40 }),
          (lines, positions) => {
            const wire = Buffer.concat(lines.flatMap(([bytes, term]) => [bytes, Buffer.from(term)]));
            const expected = lines
              .map(([bytes, term]) => {
                // "\n" after a line ending in CR: that CR is the one the framer strips.
                const raw = term === '\r\n' ? bytes : bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, -1) : bytes;
                return raw.toString('utf8');
              })
              .filter((line) => line.length > 0);
            const framer = new LineFramer({ maxLineBytes: 1 << 20 });
            const got: string[] = [];
            for (const chunk of cut(wire, positions)) got.push(...framer.push(chunk));
            expect(got).toEqual(expected);
            expect(framer.bufferedBytes).toBe(0);
          },
        ),
        params(),
      );
    });

    it('holds the unterminated tail and nothing else between chunks', () => {
      fc.assert(
        fc.property(lineBytes(100), fc.array(fc.nat(), { maxLength: 10 }), (tail, positions) => {
          const framer = new LineFramer({ maxLineBytes: 1 << 20 });
          for (const chunk of cut(tail, positions)) expect(framer.push(chunk)).toEqual([]);
          expect(framer.bufferedBytes).toBe(tail.length);
        }),
        params(),
      );
    });
  });

  describe('when lines run past maxLineBytes', () => {
    it('throws LodeError(framing, "line over N bytes") exactly where the documented rule says, and never holds more than N + 1 bytes', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 64 }),
          fc.array(
            fc.tuple(
              fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constant(new Uint8Array(0))).map((a) => Buffer.from(a.filter((x) => x !== LF))),
              fc.constantFrom('\n', '\r\n', '\r', ''),
            ),
            { maxLength: 12 },
          ),
          fc.array(fc.nat(), { maxLength: 30 }),
          (max, lines, positions) => {
            const wire = Buffer.concat(lines.flatMap(([bytes, term]) => [bytes, Buffer.from(term)]));
            const framer = new LineFramer({ maxLineBytes: max });
            const reference = new ReferenceFramer(max);
            for (const chunk of cut(wire, positions)) {
              const want = reference.push(chunk);
              let got: string[] | LodeError;
              try {
                got = framer.push(chunk);
              } catch (e) {
                got = e as LodeError;
              }
              if ('error' in want) {
                expect(LodeError.is(got, 'framing')).toBe(true);
                expect((got as LodeError).message).toBe(`line over ${max} bytes`);
                expect(framer.bufferedBytes).toBe(0);
              } else {
                expect(got).toEqual(want.lines);
                expect(framer.bufferedBytes).toBe(reference.buffered);
                expect(framer.bufferedBytes).toBeLessThanOrEqual(max + 1);
              }
            }
          },
        ),
        params(),
      );
    });

    it('accepts a line of exactly maxLineBytes, with or without CR, cut anywhere', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 300 }), terminator, fc.array(fc.nat(), { maxLength: 8 }), (max, term, positions) => {
          const line = 'x'.repeat(max);
          const framer = new LineFramer({ maxLineBytes: max });
          const got: string[] = [];
          for (const chunk of cut(Buffer.from(line + term), positions)) got.push(...framer.push(chunk));
          expect(got).toEqual([line]);
        }),
        params(),
      );
    });
  });

  describe('when arbitrary bytes arrive', () => {
    it('either returns strings or throws LodeError(framing): nothing else escapes', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 512 }), fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 20 }), (max, chunks) => {
          const framer = new LineFramer({ maxLineBytes: max });
          for (const chunk of chunks) {
            try {
              const lines = framer.push(Buffer.from(chunk));
              for (const line of lines) {
                expect(typeof line).toBe('string');
                expect(Buffer.byteLength(line, 'utf8')).toBeGreaterThan(0);
              }
            } catch (e) {
              expect(LodeError.is(e, 'framing')).toBe(true);
            }
            expect(framer.bufferedBytes).toBeLessThanOrEqual(max + 1);
          }
        }),
        params(),
      );
    });
  });
});
