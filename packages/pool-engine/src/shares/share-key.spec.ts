import type { ShareSubmission } from '@lode/plugin-api';
import { shareKey } from './share-key';

/** The key as DESIGN.md spells it, written out with node's own hex: the reference. */
const reference = (share: ShareSubmission): string => {
  const hex32 = (value: number): string => (value >>> 0).toString(16).padStart(8, '0');
  return `${share.extranonce1.toString('hex')}${share.extranonce2.toString('hex')}|${hex32(share.ntime)}|${hex32(share.nonce)}|${hex32(share.versionBits ?? 0)}`;
};

const share = (overrides: Partial<ShareSubmission> = {}): ShareSubmission => ({
  jobId: '1',
  extranonce1: Buffer.from('0a0b0c0d', 'hex'),
  extranonce2: Buffer.from('00000000000000ff', 'hex'),
  ntime: 0x4dd7f5c7,
  nonce: 0x9546a142,
  ...overrides,
});

describe('shareKey', () => {
  it('is en1‖en2|ntime|nonce|versionBits in lower-case hex, version bits 0 when absent', () => {
    expect(shareKey(share())).toBe('0a0b0c0d00000000000000ff|4dd7f5c7|9546a142|00000000');
    expect(shareKey(share({ versionBits: 0x1fffe000 }))).toBe('0a0b0c0d00000000000000ff|4dd7f5c7|9546a142|1fffe000');
  });

  it('joins the extranonces whatever their split (ethash ES1 and EthProxy give one key)', () => {
    const es1 = share({ extranonce1: Buffer.from('a2eea0', 'hex'), extranonce2: Buffer.from('cfae7df760', 'hex') });
    const proxy = share({ extranonce1: Buffer.alloc(0), extranonce2: Buffer.from('a2eea0cfae7df760', 'hex') });
    expect(shareKey(es1)).toBe(shareKey(proxy));
  });

  it('equals the template-literal key for many shares, long extranonces and out-of-range numbers included', () => {
    let x = 0x2545f491;
    const next = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    for (let i = 0; i < 500; i++) {
      const s = share({
        extranonce1: Buffer.from(Array.from({ length: i % 9 }, next)),
        extranonce2: Buffer.from(Array.from({ length: i % 70 }, next)),
        ntime: next(),
        nonce: i % 5 === 0 ? -next() : next() * (i % 3 === 0 ? 3 : 1),
        ...(i % 2 === 0 ? { versionBits: next() } : {}),
      });
      expect(shareKey(s)).toBe(reference(s));
    }
  });
});
