import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import type { ShareRecord } from '@lode/pool-engine';
import { LodeError } from '@lode/stratum-core';

/** One line of the spool as read back. */
export interface SpoolEntry {
  /** the record, or undefined when the line is not a record (corrupt) */
  record?: ShareRecord;
  /** the line's text when it could not be read as a record, cut to 200 characters */
  bad?: string;
}

/** A slice of the spool read by {@link ShareSpool.read}. */
export interface SpoolSlice {
  entries: SpoolEntry[];
  /** byte offset just past the last line in `entries` (pass it to the next read) */
  next: number;
}

/** What {@link ShareSpool.open} found in the file. */
export interface SpoolOpenInfo {
  /** complete lines (records) waiting in the file */
  records: number;
  /** bytes of an unterminated last line that were cut off (a write the process died in) */
  tornBytes: number;
}

const NEWLINE = 0x0a;
const READ_CHUNK = 256 * 1024;
/** A line longer than this is not a share record; it is skipped as corrupt. */
const MAX_LINE = 4 * 1024 * 1024;

function isRecord(value: unknown): value is ShareRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r['id'] === 'string' && typeof r['coin'] === 'string' && typeof r['time'] === 'number';
}

function parseLine(text: string): SpoolEntry {
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value)) return { record: value };
  } catch {
    // falls through: a line that is not JSON is reported like one that is not a record
  }
  return { bad: text.slice(0, 200) };
}

/**
 * The local append-only file a share store writes to while Redis cannot
 * take records: one JSON-encoded {@link ShareRecord} per LF-terminated line,
 * oldest first.
 *
 * Each append is one synchronous `write(2)` on an `O_APPEND` descriptor, so
 * once `append` returns the line is in the kernel and survives the process
 * being killed (SIGKILL included); with `fsync: true` it is also flushed to
 * the disk (`fdatasync`) and survives a power loss, at a disk flush per
 * record. Only one process may use a given file at a time.
 */
export class ShareSpool {
  private fd: number | undefined;
  private size = 0;
  private count = 0;

  /**
   * @param path the spool file; created when missing
   * @param options.fsync fdatasync after every append (default false)
   */
  constructor(
    readonly path: string,
    private readonly options: { fsync?: boolean } = {},
  ) {}

  /** records (lines) in the file */
  get records(): number {
    return this.count;
  }

  /** bytes in the file */
  get bytes(): number {
    return this.size;
  }

  /**
   * Opens (or creates) the file, cuts off an unterminated last line (the
   * record being written when a process died: its `record()` never resolved)
   * and counts the complete lines.
   *
   * @throws LodeError('store') when the file cannot be opened or read
   */
  open(): SpoolOpenInfo {
    if (this.fd !== undefined) return { records: this.count, tornBytes: 0 };
    try {
      const fd = openSync(this.path, 'a+');
      const size = fstatSync(fd).size;
      let lines = 0;
      let lastNewline = -1;
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      for (let offset = 0; offset < size; ) {
        const n = readSync(fd, buffer, 0, Math.min(READ_CHUNK, size - offset), offset);
        if (n <= 0) break;
        for (let i = 0; i < n; i++) {
          if (buffer[i] === NEWLINE) {
            lines++;
            lastNewline = offset + i;
          }
        }
        offset += n;
      }
      const complete = lastNewline + 1;
      if (complete < size) ftruncateSync(fd, complete);
      this.fd = fd;
      this.size = complete;
      this.count = lines;
      return { records: lines, tornBytes: size - complete };
    } catch (cause) {
      throw new LodeError('store', `share spool ${this.path} cannot be opened: ${(cause as Error).message}`, { cause });
    }
  }

  /**
   * Appends one record as a line. A failed write is cut back off, so the
   * file never holds half a line followed by the next record.
   *
   * @throws LodeError('store') when the spool is not open or the write fails (disk full, I/O error)
   */
  append(record: ShareRecord): void {
    const fd = this.fd;
    if (fd === undefined) throw new LodeError('store', `share spool ${this.path} is not open`);
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    try {
      for (let written = 0; written < line.length; ) {
        written += writeSync(fd, line, written, line.length - written);
      }
      if (this.options.fsync === true) fdatasyncSync(fd);
    } catch (cause) {
      try {
        ftruncateSync(fd, this.size);
      } catch {
        // the write error below is the one to report
      }
      throw new LodeError('store', `share spool ${this.path} cannot take record ${record.id}: ${(cause as Error).message}`, {
        cause,
      });
    }
    this.size += line.length;
    this.count++;
  }

  /**
   * Reads up to `max` lines from byte offset `from` (0 = the oldest).
   *
   * @returns the lines and the offset after them; no entries at the end of the file
   * @throws LodeError('store') when the file cannot be read
   */
  read(from: number, max: number): SpoolSlice {
    const fd = this.fd;
    if (fd === undefined) throw new LodeError('store', `share spool ${this.path} is not open`);
    const entries: SpoolEntry[] = [];
    let next = from;
    let pending = Buffer.alloc(0);
    let offset = from;
    try {
      while (entries.length < max && offset < this.size) {
        const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, this.size - offset));
        const n = readSync(fd, chunk, 0, chunk.length, offset);
        if (n <= 0) break;
        offset += n;
        let data = pending.length === 0 ? chunk.subarray(0, n) : Buffer.concat([pending, chunk.subarray(0, n)]);
        let start = 0;
        for (let nl = data.indexOf(NEWLINE); nl !== -1 && entries.length < max; nl = data.indexOf(NEWLINE, start)) {
          entries.push(parseLine(data.toString('utf8', start, nl)));
          next += nl + 1 - start;
          start = nl + 1;
        }
        data = data.subarray(start);
        if (entries.length < max && data.length > MAX_LINE) {
          // a runaway line: report it and go on with the next one
          const nl = this.skipLine(fd, next);
          entries.push({ bad: data.toString('utf8', 0, 200) });
          next = nl;
          offset = nl;
          data = Buffer.alloc(0);
        }
        pending = data;
        if (entries.length >= max) break;
      }
    } catch (cause) {
      throw new LodeError('store', `share spool ${this.path} cannot be read at byte ${offset}: ${(cause as Error).message}`, {
        cause,
      });
    }
    return { entries, next };
  }

  /** Empties the file (after every line was confirmed by Redis). */
  truncate(): void {
    const fd = this.fd;
    if (fd === undefined) throw new LodeError('store', `share spool ${this.path} is not open`);
    try {
      ftruncateSync(fd, 0);
    } catch (cause) {
      throw new LodeError('store', `share spool ${this.path} cannot be emptied: ${(cause as Error).message}`, { cause });
    }
    this.size = 0;
    this.count = 0;
  }

  /** Closes the file; the lines stay for the next run. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private skipLine(fd: number, from: number): number {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    for (let offset = from; offset < this.size; ) {
      const n = readSync(fd, buffer, 0, Math.min(READ_CHUNK, this.size - offset), offset);
      if (n <= 0) break;
      const nl = buffer.subarray(0, n).indexOf(NEWLINE);
      if (nl !== -1) return offset + nl + 1;
      offset += n;
    }
    return this.size;
  }
}
