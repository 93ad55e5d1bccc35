import { LodeError } from '../errors';

const LF = 0x0a;
const CR = 0x0d;

/** Options of a {@link LineFramer}. */
export interface LineFramerOptions {
  /**
   * Longest accepted line in bytes, not counting the LF terminator or a CR
   * before it. Default 16384 (ckpool's connector caps a message at 1 KiB,
   * field-notes.md §1.2; Stratum's longest lines, `mining.notify` with many
   * merkle branches, stay far below 16 KiB).
   */
  maxLineBytes?: number;
}

/**
 * Cuts a byte stream into text lines: LF-delimited, a trailing CR stripped,
 * empty lines skipped, each line decoded as UTF-8 once it is complete (so a
 * multi-byte character split across chunks decodes correctly: 0x0A never
 * occurs inside a UTF-8 sequence).
 *
 * Memory is bounded: the partial line buffered between chunks never exceeds
 * `maxLineBytes` (+1 for a pending CR) plus the current chunk. A partial line
 * is kept as a list of chunk slices and joined once, when its LF arrives, so
 * a line arriving one byte at a time costs O(n), not O(n^2).
 *
 * @throws LodeError('framing', 'line over 16384 bytes') from `push()` as soon
 *   as a line (complete or still partial) passes the cap. Lines completed
 *   earlier in the same chunk are not returned: the caller is expected to
 *   close the connection.
 */
export class LineFramer {
  /** the cap in bytes, as configured */
  readonly maxLineBytes: number;
  private parts: Buffer[] = [];
  private partBytes = 0;

  constructor(options: LineFramerOptions = {}) {
    const max = options.maxLineBytes ?? 16384;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new LodeError('config', `maxLineBytes is ${max}, expected a positive integer`);
    }
    this.maxLineBytes = max;
  }

  /**
   * Feeds one chunk of received bytes.
   *
   * @returns the lines completed by this chunk, in order, without terminators
   * @throws LodeError('framing') when a line passes `maxLineBytes`
   */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    let lf = chunk.indexOf(LF, start);
    while (lf !== -1) {
      let line: Buffer;
      if (this.partBytes === 0) {
        line = chunk.subarray(start, lf);
      } else {
        this.parts.push(chunk.subarray(start, lf));
        line = Buffer.concat(this.parts, this.partBytes + (lf - start));
        this.parts = [];
        this.partBytes = 0;
      }
      let end = line.length;
      if (end > 0 && line[end - 1] === CR) end -= 1;
      if (end > this.maxLineBytes) throw this.overlong();
      if (end > 0) lines.push(line.toString('utf8', 0, end));
      start = lf + 1;
      lf = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      const tail = chunk.subarray(start);
      this.parts.push(tail);
      this.partBytes += tail.length;
      if (this.partBytes > this.maxLineBytes && !this.onlyPendingCr(tail)) {
        throw this.overlong();
      }
    }
    return lines;
  }

  /** Drops any buffered partial line (after a reconnect, or after a framing error). */
  reset(): void {
    this.parts = [];
    this.partBytes = 0;
  }

  /** Bytes of the partial line held between chunks. */
  get bufferedBytes(): number {
    return this.partBytes;
  }

  // A line of exactly maxLineBytes whose CR has arrived but whose LF has not is still legal.
  private onlyPendingCr(tail: Buffer): boolean {
    return this.partBytes === this.maxLineBytes + 1 && tail[tail.length - 1] === CR;
  }

  private overlong(): LodeError {
    this.reset();
    return new LodeError('framing', `line over ${this.maxLineBytes} bytes`, {
      data: { maxLineBytes: this.maxLineBytes },
    });
  }
}
