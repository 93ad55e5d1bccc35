import fc from 'fast-check';
import { Subject } from 'rxjs';
import type { LodeError } from '../errors';
import type { CloseInfo, LineTransport } from './line-transport';
import { SniffingTransport } from './sniffing-transport';

/*
 * Property-based tests of the SniffingTransport (fast-check): whenever the
 * sniffer decides and however late the new owner subscribes, the deciding
 * line and every line after it reach `lines$` once, in order, or the
 * connection closes with the documented reason when more than
 * `maxHeldLines` wait. FUZZ_RUNS sets the cases (default below); FUZZ_SEED
 * replays a failure.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
/** jest's per-test limit, scaled with the number of cases (a long run is not a hung run). */
const TIMEOUT_MS = 30_000 + RUNS * 10;
const params = (numRuns = RUNS): fc.Parameters<unknown> => (SEED === undefined ? { numRuns } : { numRuns, seed: SEED });

/** A synchronous inner transport: `receive` delivers at once; lines after close are dropped, as a socket's are. */
class FakeTransport implements LineTransport {
  private readonly linesSubject = new Subject<string>();
  private readonly closedSubject = new Subject<CloseInfo>();
  readonly lines$ = this.linesSubject.asObservable();
  readonly framingErrors$ = new Subject<LodeError>().asObservable();
  readonly closed$ = this.closedSubject.asObservable();
  closeReason: string | undefined;

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  receive(line: string): void {
    if (!this.isClosed) this.linesSubject.next(line);
  }

  send(): void {
    // nothing is read back in these properties
  }

  close(reason: string): void {
    if (this.isClosed) return;
    this.closeReason = reason;
    this.closedSubject.next({ reason, byPeer: false });
    this.closedSubject.complete();
    this.linesSubject.complete();
  }
}

const microtasks = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await Promise.resolve();
};

describe('SniffingTransport (fuzz)', () => {
  describe('when the sniffer hands over at any line and the owner subscribes at any time', () => {
    it('delivers the deciding line and all later ones once, in order, or closes with "over N lines waiting for the session"', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 8 }),
          fc.integer({ min: 1, max: 40 }),
          fc.nat(),
          fc.nat(),
          fc.nat(),
          async (maxHeldLines, total, kSeed, aSeed, bSeed) => {
            const lines = Array.from({ length: total }, (_, i) => `{"id":${i}}`);
            const k = kSeed % total; // index of the deciding line
            const a = aSeed % (total - k); // lines arriving after the handover, before the owner subscribes
            const b = bSeed % (total - k - a); // lines arriving after the subscription, before the flush microtask
            const inner = new FakeTransport();
            const sniffer = new SniffingTransport(inner, { maxHeldLines });
            const sniffed: string[] = [];
            sniffer.sniffed$.subscribe((line) => {
              sniffed.push(line);
              if (sniffed.length === k + 1) sniffer.handOver(line);
            });
            let next = 0;
            for (; next <= k + a; next++) inner.receive(lines[next]);
            const got: string[] = [];
            let completed = false;
            sniffer.lines$.subscribe({ next: (l) => got.push(l), complete: () => (completed = true) });
            for (; next <= k + a + b; next++) inner.receive(lines[next]);
            await microtasks();
            for (; next < total; next++) inner.receive(lines[next]);

            expect(sniffed).toEqual(lines.slice(0, k + 1));
            expect(sniffer.isHandedOver).toBe(true);
            const held = 1 + a + b;
            if (held > maxHeldLines) {
              expect(inner.closeReason).toBe(`over ${maxHeldLines} lines waiting for the session`);
              expect(got).toEqual([]);
              expect(completed).toBe(true);
            } else {
              expect(inner.closeReason).toBeUndefined();
              expect(got).toEqual(lines.slice(k));
              inner.close('test over');
              expect(completed).toBe(true);
            }
          },
        ),
        params(),
      );
    }, TIMEOUT_MS);
  });

  describe('when the sniffer never hands over', () => {
    it('shows every line to the sniffer only, and completes sniffed$ on close', () => {
      fc.assert(
        fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 30 }), (lines) => {
          const inner = new FakeTransport();
          const sniffer = new SniffingTransport(inner);
          const sniffed: string[] = [];
          const owned: string[] = [];
          let done = false;
          sniffer.sniffed$.subscribe({ next: (l) => sniffed.push(l), complete: () => (done = true) });
          sniffer.lines$.subscribe((l) => owned.push(l));
          for (const line of lines) inner.receive(line);
          inner.close('test over');
          expect(sniffed).toEqual(lines);
          expect(owned).toEqual([]);
          expect(done).toBe(true);
        }),
        params(),
      );
    });
  });
});
