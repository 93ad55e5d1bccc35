import { LodeError } from '@lode/stratum-core';
import { decodeBlock } from '../block/block-codec';
import { MAINNET_100000 } from '../testing/real-blocks';
import { checkBlockContextFree } from './check-block';
import { DEVNET_POWS, parseDevnetPow, powHash } from './pow-hash';

const display = (b: Buffer): string => Buffer.from(b).reverse().toString('hex');

describe('powHash', () => {
  it('sha256 is one SHA-256: FIPS 180-2 appendix B.1 ("abc")', () => {
    expect(powHash('sha256', Buffer.from('abc', 'ascii')).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('sha256d of mainnet block 100000 is its block hash (facts/bitcoin-blocks.md "Mainnet block 100000")', () => {
    expect(display(powHash('sha256d', Buffer.from(MAINNET_100000.header, 'hex')))).toBe(MAINNET_100000.hash);
  });
});

describe('parseDevnetPow', () => {
  it('defaults to sha256d and knows sha256d and sha256', () => {
    expect(parseDevnetPow(undefined)).toBe('sha256d');
    expect(DEVNET_POWS.map(parseDevnetPow)).toEqual(['sha256d', 'sha256']);
  });

  it('throws LodeError(config) naming the known hashes for another name', () => {
    expect(() => parseDevnetPow('scrypt')).toThrow(LodeError);
    expect(() => parseDevnetPow('scrypt')).toThrow('proof of work "scrypt" is not one of sha256d, sha256');
  });
});

describe('checkBlockContextFree with rules.pow', () => {
  const block = decodeBlock(Buffer.from(MAINNET_100000.hex, 'hex'));
  const rules = { checkProofOfWork: true, powLimit: (1n << 224n) - 1n };

  it('accepts mainnet block 100000 under sha256d, given or by default', () => {
    expect(checkBlockContextFree(block, rules)).toBeNull();
    expect(checkBlockContextFree(block, { ...rules, pow: 'sha256d' })).toBeNull();
  });

  it('answers high-hash for it under sha256: one SHA-256 of its header misses its target', () => {
    expect(checkBlockContextFree(block, { ...rules, pow: 'sha256' })).toBe('high-hash');
  });
});
