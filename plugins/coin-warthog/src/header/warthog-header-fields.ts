/**
 * The six fields of an 80-byte Warthog header, as numbers and hex.
 *
 * | bytes | field | encoding |
 * |---|---|---|
 * | 0..31 | prevHash | 32 bytes in digest order (no reversal) |
 * | 32..35 | nbits | TargetV2, uint32 big-endian |
 * | 36..67 | merkleRoot | 32 raw bytes |
 * | 68..71 | version | uint32 big-endian |
 * | 72..75 | ntime | uint32 big-endian, Unix seconds |
 * | 76..79 | nonce | 4 bytes; as a number, read big-endian (the stratum nonce hex is these bytes in order) |
 *
 * @see facts/warthog.md §2; specs/004_8dfd75be62003ef5.txt "Header structure"
 */
export interface WarthogHeaderFields {
  /** the previous block's sha256d, 64 lower-case hex, header byte order */
  prevHash: string;
  /** TargetV2, uint32 */
  nbits: number;
  /** 64 lower-case hex */
  merkleRoot: string;
  /** uint32 (3 today) */
  version: number;
  /** uint32 Unix seconds */
  ntime: number;
  /** uint32 = header bytes 76..79 read big-endian */
  nonce: number;
}
