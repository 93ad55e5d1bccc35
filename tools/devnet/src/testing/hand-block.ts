// Test support: builds blocks from a getblocktemplate result by hand, with a
// few lines of node:crypto written apart from the code under test, so that
// the devnet is checked against an independent reading of the rules
// (BIP 22, BIP 34, BIP 141; facts/bitcoin-stratum.md "Byte orders").
import { createHash } from 'node:crypto';

const sha = (b: Buffer): Buffer => createHash('sha256').update(b).digest();

/** sha256d, raw bytes. */
export const dsha = (b: Buffer): Buffer => sha(sha(b));

/** Display hex -> internal bytes. */
export const internal = (displayHex: string): Buffer => Buffer.from(displayHex, 'hex').reverse();

/** Internal bytes -> display hex. */
export const display = (b: Buffer): string => Buffer.from(b).reverse().toString('hex');

/** CompactSize. */
export function varint(n: number): Buffer {
  if (n < 0xfd) return Buffer.from([n]);
  const b = Buffer.alloc(3);
  b[0] = 0xfd;
  b.writeUInt16LE(n, 1);
  return b;
}

/** BIP 34 height as `CScript() << height` writes it: OP_1..OP_16 for 1..16, else a minimal number push. */
export function heightPush(height: number): Buffer {
  if (height >= 1 && height <= 16) return Buffer.from([0x50 + height]);
  const bytes: number[] = [];
  for (let h = height; h > 0; h = Math.floor(h / 256)) bytes.push(h % 256);
  if (bytes[bytes.length - 1] >= 0x80) bytes.push(0);
  return Buffer.from([bytes.length, ...bytes]);
}

/** Merkle root over internal-order leaves, odd levels pairing the last with itself. */
export function merkle(leaves: Buffer[]): Buffer {
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(dsha(Buffer.concat([level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return level[0];
}

/** Target from compact nBits hex: mantissa * 256^(exponent - 3). */
export function targetOf(bitsHex: string): bigint {
  const bits = Number.parseInt(bitsHex, 16);
  return BigInt(bits & 0x7fffff) << BigInt(8 * ((bits >>> 24) - 3));
}

/** The fields of a getblocktemplate result this helper reads. */
export interface TemplateLike {
  version: number;
  previousblockhash: string;
  transactions: { data: string; txid: string; hash: string }[];
  coinbasevalue: number;
  curtime: number;
  bits: string;
  height: number;
  default_witness_commitment: string;
}

/** What to change from a faithful block; everything defaults to the template's value. */
export interface HandBlockOptions {
  height?: number;
  tag?: string;
  coinbaseValue?: number;
  /** commitment output script hex; null for no commitment output */
  commitment?: string | null;
  /** the coinbase witness item; null for a coinbase without witness */
  witnessNonce?: Buffer | null;
  transactions?: { data: string; txid: string }[];
  version?: number;
  previousblockhash?: string;
  time?: number;
  bits?: string;
  /** merkle root in display hex instead of the computed one */
  merkleRoot?: string;
  /** 'valid': a nonce meeting the target of `bits`; 'invalid': one that does not */
  pow?: 'valid' | 'invalid';
  /** the hash the nonce search reads: 'sha256d' (Bitcoin, default) or 'sha256' (one SHA-256 of the header) */
  powHash?: 'sha256d' | 'sha256';
  /** also require that the nonce does NOT meet the target under this other hash (a block valid for one hash only) */
  alsoInvalidFor?: 'sha256d' | 'sha256';
  /** a second coinbase-looking first transaction order: put the coinbase last */
  coinbaseLast?: boolean;
}

/** A hand-built block: hex for submitblock, hash (display) and the coinbase txid (display). */
export interface HandBlock {
  hex: string;
  /** the block id: sha256d(header), display hex */
  hash: string;
  /** the hash the nonce search used (HandBlockOptions.powHash), display hex */
  powHash: string;
  coinbaseTxid: string;
}

/** Builds a block from a template with the given changes and searches its nonce. */
export function handBlock(template: TemplateLike, o: HandBlockOptions = {}): HandBlock {
  const tag = Buffer.from(o.tag ?? '/Lode/', 'ascii');
  const scriptSig = Buffer.concat([heightPush(o.height ?? template.height), Buffer.from([8]), Buffer.alloc(8, 0x11), Buffer.from([tag.length]), tag]);
  const value = Buffer.alloc(8);
  value.writeBigInt64LE(BigInt(o.coinbaseValue ?? template.coinbasevalue));
  const payout = Buffer.concat([value, Buffer.from([1, 0x51])]);
  const commitment = o.commitment === undefined ? template.default_witness_commitment : o.commitment;
  const outputs =
    commitment === null
      ? Buffer.concat([varint(1), payout])
      : Buffer.concat([varint(2), payout, Buffer.alloc(8), varint(commitment.length / 2), Buffer.from(commitment, 'hex')]);
  const input = Buffer.concat([Buffer.alloc(32), Buffer.from('ffffffff', 'hex'), varint(scriptSig.length), scriptSig, Buffer.from('ffffffff', 'hex')]);
  const version = Buffer.from('01000000', 'hex');
  const locktime = Buffer.alloc(4);
  const stripped = Buffer.concat([version, varint(1), input, outputs, locktime]);
  const nonce = o.witnessNonce === undefined ? Buffer.alloc(32) : o.witnessNonce;
  const coinbase =
    nonce === null
      ? stripped
      : Buffer.concat([version, Buffer.from('0001', 'hex'), varint(1), input, outputs, varint(1), varint(nonce.length), nonce, locktime]);
  const coinbaseTxid = dsha(stripped);
  const txs = o.transactions ?? template.transactions;
  const ordered = o.coinbaseLast
    ? [...txs.map((t) => ({ data: Buffer.from(t.data, 'hex'), txid: internal(t.txid) })), { data: coinbase, txid: coinbaseTxid }]
    : [{ data: coinbase, txid: coinbaseTxid }, ...txs.map((t) => ({ data: Buffer.from(t.data, 'hex'), txid: internal(t.txid) }))];
  const root = o.merkleRoot ? internal(o.merkleRoot) : merkle(ordered.map((t) => t.txid));
  const bitsHex = o.bits ?? template.bits;
  const header = Buffer.alloc(80);
  header.writeInt32LE(o.version ?? template.version, 0);
  internal(o.previousblockhash ?? template.previousblockhash).copy(header, 4);
  root.copy(header, 36);
  header.writeUInt32LE(o.time ?? template.curtime, 68);
  header.writeUInt32LE(Number.parseInt(bitsHex, 16), 72);
  const target = targetOf(bitsHex);
  const wantValid = (o.pow ?? 'valid') === 'valid';
  const hashWith = (which: 'sha256d' | 'sha256'): Buffer => (which === 'sha256' ? sha(header) : dsha(header));
  const meets = (hash: Buffer): boolean => BigInt(`0x${display(hash)}`) <= target;
  let pow: Buffer = Buffer.alloc(32);
  for (let n = 0; n < 0xffffffff; n++) {
    header.writeUInt32LE(n, 76);
    pow = hashWith(o.powHash ?? 'sha256d');
    if (meets(pow) === wantValid && (o.alsoInvalidFor === undefined || !meets(hashWith(o.alsoInvalidFor)))) break;
  }
  const body = Buffer.concat([header, varint(ordered.length), ...ordered.map((t) => t.data)]);
  return { hex: body.toString('hex'), hash: display(dsha(header)), powHash: display(pow), coinbaseTxid: display(coinbaseTxid) };
}
