const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;
const OP_PUSHDATA4 = 0x4e;
const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_CHECKSIG = 0xac;
const OP_CHECKSIGVERIFY = 0xad;
const OP_CHECKMULTISIG = 0xae;
const OP_CHECKMULTISIGVERIFY = 0xaf;

/** One script operation: its opcode and, for pushes, the pushed bytes. */
export interface ScriptOp {
  opcode: number;
  data?: Buffer;
}

/**
 * The operations of a script, in order. Stops (without throwing) at a push
 * that runs past the end, as bitcoind's GetOp does; `complete` tells whether
 * the whole script parsed.
 *
 * @see Bitcoin Core src/script/script.cpp (GetScriptOp)
 */
export function scriptOps(script: Buffer): { ops: ScriptOp[]; complete: boolean } {
  const ops: ScriptOp[] = [];
  let i = 0;
  while (i < script.length) {
    const opcode = script[i++];
    if (opcode > OP_PUSHDATA4) {
      ops.push({ opcode });
      continue;
    }
    let length = opcode;
    let width = 0;
    if (opcode === OP_PUSHDATA1) width = 1;
    else if (opcode === OP_PUSHDATA2) width = 2;
    else if (opcode === OP_PUSHDATA4) width = 4;
    if (i + width > script.length) return { ops, complete: false };
    if (width > 0) length = script.readUIntLE(i, width);
    i += width;
    if (i + length > script.length) return { ops, complete: false };
    ops.push({ opcode, data: script.subarray(i, i + length) });
    i += length;
  }
  return { ops, complete: true };
}

/**
 * Legacy ("inaccurate") signature-operation count of a script: 1 per
 * CHECKSIG(VERIFY), 20 per CHECKMULTISIG(VERIFY).
 *
 * @see Bitcoin Core src/script/script.cpp (CScript::GetSigOpCount(false))
 */
export function legacySigOpCount(script: Buffer): number {
  let count = 0;
  for (const { opcode } of scriptOps(script).ops) {
    if (opcode === OP_CHECKSIG || opcode === OP_CHECKSIGVERIFY) count += 1;
    else if (opcode === OP_CHECKMULTISIG || opcode === OP_CHECKMULTISIGVERIFY) count += 20;
  }
  return count;
}

/**
 * The bytes of `CScript() << n` for a non-negative integer, as bitcoind
 * writes the BIP 34 height: 0 -> OP_0, 1..16 -> OP_1..OP_16, otherwise a
 * direct push of the minimal little-endian CScriptNum (with a 0x00 byte
 * appended when the top byte has bit 7 set).
 *
 * @param n integer in [0, 2^31)
 * @see BIP 34; Bitcoin Core src/script/script.h (push_int64, CScriptNum::serialize)
 */
export function scriptNumberPush(n: number): Buffer {
  if (n === 0) return Buffer.from([OP_0]);
  if (n >= 1 && n <= 16) return Buffer.from([OP_1 - 1 + n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.push(rest % 256);
  if ((bytes[bytes.length - 1] & 0x80) !== 0) bytes.push(0);
  return Buffer.from([bytes.length, ...bytes]);
}
