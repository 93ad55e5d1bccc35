import { createHash } from 'node:crypto';
import { LodeError } from '@lode/stratum-core';
import { FAKE_BAD_NONCE, FakeJanushashVerifier } from '../testing/fake-janushash-verifier';
import { parseWarthogAddress } from './warthog-address';
import { WarthogChain } from './warthog-chain';
import type { AppendRequest } from './warthog-chain';

const sha256 = (...parts: Buffer[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
const hex = (text: string): Buffer => Buffer.from(text, 'hex');

// facts/warthog.md §6-H: an address with a valid checksum
const ADDRESS = parseWarthogAddress('3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093');
// the devnet's account id rule: SHA-256("lode-devnet account" ‖ address20)[0..6] + 1
const ACCOUNT_ID = BigInt(sha256(Buffer.from('lode-devnet account'), ADDRESS).readUIntBE(0, 6)) + 1n;
const NOW = 1_727_201_019;
// facts/warthog.md §6-D: difficulty 1000 is TargetV2 0260c49b
const TARGET_1000 = 0x0260c49b;

/** The block for a template with extranonce `en` (10 bytes) and nonce `nonce`, merkle root recomputed per §4.4. */
function solvedBlock(t: { header: Buffer; body: Buffer; merklePrefix: Buffer; height: number }, en: Buffer, nonce = hex('00000001')): AppendRequest {
  const body = Buffer.concat([en, t.body.subarray(10)]);
  const header = Buffer.from(t.header);
  sha256(t.merklePrefix, en).copy(header, 36);
  nonce.copy(header, 76);
  return { height: t.height, header, body };
}

const EN = hex('00000001000000000002');

describe('WarthogChain', () => {
  describe('when it makes a template without transfers', () => {
    const chain = new WarthogChain({ difficulty: 1000, transfers: 0 }, NOW);
    const t = chain.template(ADDRESS, NOW);

    it('lays out the body as extranonce, no new addresses and the reward (facts §4.4, §6-H)', () => {
      const id = ACCOUNT_ID.toString(16).padStart(16, '0');
      // 3 WART = 0x11e1a300 E8 at height 2,000,001 (no halving yet)
      expect(t.body.toString('hex')).toBe(`${'00'.repeat(10)}0000${id}0000000011e1a300`);
      expect(t.merklePrefix.toString('hex')).toBe(sha256(t.body.subarray(12)).toString('hex'));
      expect([t.height, t.rewardE8, t.feeE8, t.accountId]).toEqual([2_000_001, 300_000_000n, 0n, ACCOUNT_ID]);
    });

    it('builds the header from the head, the target, the merkle root of a zero extranonce, version 3 and nonce 0', () => {
      const h = t.header;
      expect(h.length).toBe(80);
      expect(h.subarray(0, 32).equals(chain.head.hash)).toBe(true);
      expect(h.readUInt32BE(32)).toBe(TARGET_1000);
      expect(h.subarray(36, 68).toString('hex')).toBe(sha256(t.merklePrefix, Buffer.alloc(10)).toString('hex'));
      expect(h.subarray(68, 80).toString('hex')).toBe(`00000003${NOW.toString(16)}00000000`);
      expect(t.difficulty).toBe(1000.0003017486052);
    });
  });

  describe('when it makes a template with 2 transfers (the default)', () => {
    it('has 3 leaves, so a 64-byte merkle prefix with the odd leaf hashed alone', () => {
      const t = new WarthogChain({}, NOW).template(ADDRESS, NOW);
      expect(t.body.length).toBe(10 + 2 + 16 + 4 + 2 * 99);
      expect(t.body.subarray(28, 32).toString('hex')).toBe('00000002');
      const reward = t.body.subarray(12, 28);
      const [t0, t1] = [t.body.subarray(32, 131), t.body.subarray(131, 230)];
      // the transfers pay no fee: compact fee bytes 16..18 are zero
      expect([t0.readUInt16BE(16), t1.readUInt16BE(16)]).toEqual([0, 0]);
      const prefix = Buffer.concat([sha256(sha256(reward), sha256(t0)), sha256(sha256(t1))]);
      expect(t.merklePrefix.toString('hex')).toBe(prefix.toString('hex'));
    });
  });

  describe('when a solved block is appended', () => {
    it('advances the head to sha256d(header) and the next template builds on it', () => {
      const verifier = new FakeJanushashVerifier();
      const chain = new WarthogChain({ difficulty: 1000 }, NOW);
      const t = chain.template(ADDRESS, NOW);
      const block = solvedBlock(t, EN);
      const outcome = chain.append(block, NOW, verifier);
      const hash = sha256(sha256(block.header));
      expect(outcome).toEqual({ accepted: true, block: expect.objectContaining({ height: 2_000_001, hash, timestamp: NOW, rewardAccountId: ACCOUNT_ID }) });
      expect(verifier.calls).toEqual([[block.header.toString('hex'), TARGET_1000]]);
      expect([chain.height, chain.minedBlocks, chain.head.hash]).toEqual([2_000_001, 1, hash]);
      const next = chain.template(ADDRESS, NOW);
      expect([next.height, next.header.subarray(0, 32)]).toEqual([2_000_002, hash]);
    });
  });

  describe('when a block breaks a rule', () => {
    const chain = new WarthogChain({ difficulty: 1000 }, NOW);
    const verifier = new FakeJanushashVerifier();
    const t = chain.template(ADDRESS, NOW);
    const good = solvedBlock(t, EN);
    const edit = (at: number, bytes: Buffer): AppendRequest => {
      const header = Buffer.from(good.header);
      bytes.copy(header, at);
      return { ...good, header };
    };
    const u32 = (n: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };

    it.each([
      ['a stale height', { ...good, height: 2_000_000 }, 77, 'submitted deprecated block', /height 2000000, the next block is 2000001/],
      ['a height ahead of the next', { ...good, height: 2_000_002 }, 77, 'submitted deprecated block', /the next block is 2000001/],
      ['another prevHash', edit(0, Buffer.alloc(32, 1)), 9, 'bad header link', /prevHash 0101/],
      ['version 2', edit(68, u32(2)), 84, 'unsupported block version', /version 2, height 2000001 needs 3/],
      ['another target', edit(32, u32(0x003fffff)), 12, 'wrong difficulty in block header', /target 003fffff, the chain's is 0260c49b/],
      ['a nonce that fails Janushash', edit(76, FAKE_BAD_NONCE), 10, 'bad proof of work', /not below target 0260c49b/],
      ['a timestamp below the median', edit(72, u32(NOW - 600)), 11, 'timestamp rule violated', /median of the last 50/],
      ['a timestamp 601 s ahead', edit(72, u32(NOW + 601)), 31, 'clock tolerance exceeded', /more than 600 s after/],
      ['a body with another extranonce than the merkle root', { ...good, body: Buffer.concat([Buffer.alloc(10, 7), good.body.subarray(10)]) }, 17, 'merkle root mismatch', /the body gives/],
      ['a body cut short', { ...good, body: good.body.subarray(0, 100) }, 90, 'malformed body data', /transfers need 198 bytes, 68 remain/],
    ])('refuses %s', (_name, request, code, error, detail) => {
      expect(chain.append(request, NOW, verifier)).toEqual({ accepted: false, name: expect.any(String), code, error, detail: expect.stringMatching(detail) });
      expect(chain.height).toBe(2_000_000);
    });

    it('refuses a body whose merkle root matches but whose items are not the template\'s', () => {
      const body = Buffer.from(good.body);
      body.writeBigUInt64BE(400_000_000n, 20);
      const t2 = { ...t, body, merklePrefix: sha256(sha256(body.subarray(12, 28)), sha256(body.subarray(32, 131))) };
      const prefix = Buffer.concat([t2.merklePrefix, sha256(sha256(body.subarray(131, 230)))]);
      const block = solvedBlock({ ...t2, merklePrefix: prefix }, EN);
      expect(chain.append(block, NOW, verifier)).toMatchObject({ accepted: false, code: 90, error: 'malformed body data', detail: 'reward 400000000 E8, block 2000001 pays 300000000' });
    });
  });

  describe('when the head reaches a multiple of 32', () => {
    it('reports it as the pin', () => {
      const chain = new WarthogChain({ startHeight: 2_000_030, transfers: 0 }, NOW);
      const verifier = new FakeJanushashVerifier();
      const before = chain.pin.height;
      for (let i = 0; i < 2; i++) expect(chain.append(solvedBlock(chain.template(ADDRESS, NOW), EN), NOW, verifier).accepted).toBe(true);
      expect([before, chain.height, chain.pin.height, chain.pin.hash]).toEqual([2_000_000, 2_000_032, 2_000_032, chain.head.hash]);
    });
  });

  describe('when the options are invalid', () => {
    it.each([
      [{ startHeight: 1_000_000 }, /start height 1000000 is not an integer in 1658880/],
      [{ difficulty: 0 }, /difficulty 0 is not a finite number > 0/],
      [{ transfers: 65 }, /transfers 65/],
    ])('throws a config error for %p', (options, message) => {
      expect(() => new WarthogChain(options, NOW)).toThrow(LodeError);
      expect(() => new WarthogChain(options, NOW)).toThrow(message);
    });
  });
});
