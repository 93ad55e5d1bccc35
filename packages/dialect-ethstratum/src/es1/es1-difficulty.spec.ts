import { targetFromDifficulty } from '@lode/mining';
import { LodeError } from '@lode/stratum-core';
import { ES1_DIFF1_TARGET, es1DifficultyFromTarget, es1TargetFromDifficulty } from './es1-difficulty';

/** facts/ethash.md §1.2 / §4.8: ES1 difficulty 1 as the spec prints it. */
const DIFF1_HEX = '00000000ffff0000000000000000000000000000000000000000000000000000';
/** facts/ethash.md §4.5: the final hash of the NiceHash example share (epoch 50, nonce a2eea0cfae7df760). */
const SPEC_SHARE_FINAL = 0x000000008967835bc523bf58c952df82be871ba937996c86b9419bcc967028a0n;

const hex = (t: bigint): string => t.toString(16).padStart(64, '0');

describe('ES1 difficulty', () => {
  it('difficulty 1 is the target 00000000ffff0000... and back', () => {
    expect(hex(ES1_DIFF1_TARGET)).toBe(DIFF1_HEX);
    expect(hex(es1TargetFromDifficulty(1))).toBe(DIFF1_HEX);
    expect(es1DifficultyFromTarget(BigInt(`0x${DIFF1_HEX}`))).toBe(1);
  });

  it('reads a fractional difficulty as its shortest decimal: 0.5 doubles the target exactly', () => {
    expect(hex(es1TargetFromDifficulty(0.5))).toBe('00000001fffe' + '0'.repeat(52));
    expect(hex(es1TargetFromDifficulty(2))).toBe('000000007fff8' + '0'.repeat(51));
  });

  it('gives the §4.5 example share difficulty 1.863 with 0xffff·2^208 (and Miningcore\'s 2^224 agrees to 3 decimals)', () => {
    expect(es1DifficultyFromTarget(SPEC_SHARE_FINAL).toFixed(3)).toBe('1.863');
    // 2^256 / final / 2^32, the formula facts/ethash.md §4.5 prints; computed here without the code under test.
    const miningcore = Number(((1n << 224n) * 1_000_000n) / SPEC_SHARE_FINAL) / 1_000_000;
    expect(miningcore.toFixed(3)).toBe('1.863');
  });

  it('reads the target of engine difficulty 2^48/0xffff (2^256 units) as exactly 1, not 0.9999999999999999', () => {
    const engineTarget = targetFromDifficulty(2 ** 48 / 0xffff, 1n << 256n);
    expect(es1DifficultyFromTarget(engineTarget)).toBe(1);
  });

  it('refuses a difficulty that is not a finite number > 0', () => {
    expect(() => es1TargetFromDifficulty(0)).toThrow(LodeError);
    expect(() => es1TargetFromDifficulty(Number.NaN)).toThrow(LodeError);
    expect(() => es1DifficultyFromTarget(0n)).toThrow(LodeError);
  });
});
