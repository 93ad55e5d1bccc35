import { createHash } from 'node:crypto';
import { LodeError } from '@lode/stratum-core';
import type { WarthogMiningState } from '../http/warthog-envelope';
import { FakeJanushashVerifier } from '../testing/fake-janushash-verifier';
import { WarthogDevnetNode } from './warthog-devnet-node';
import type { WarthogMaxBlocksEvent, WarthogRejectedEvent } from './warthog-devnet-events';

const sha256 = (...parts: Buffer[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
// facts/warthog.md §6-H: an address with a valid checksum
const ACCOUNT = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093';
const NOW_MS = 1_727_201_019_000;

/** The append request for a template with extranonce 0..01 (merkle root recomputed, facts §4.4). */
function solved(t: WarthogMiningState): { height: number; header: string; body: string } {
  const en = Buffer.from('00000000000000000001', 'hex');
  const header = Buffer.from(t.header, 'hex');
  sha256(Buffer.from(t.merklePrefix, 'hex'), en).copy(header, 36);
  return { height: t.height, header: header.toString('hex'), body: en.toString('hex') + t.body.slice(20) };
}

describe('WarthogDevnetNode', () => {
  const make = (maxBlocks?: number): WarthogDevnetNode =>
    new WarthogDevnetNode({ verifier: new FakeJanushashVerifier(), clock: () => NOW_MS, maxBlocks, transfers: 0 });
  const template = (node: WarthogDevnetNode): WarthogMiningState => {
    const reply = node.mine(ACCOUNT);
    if (!('data' in reply)) throw new Error(reply.error);
    return reply.data;
  };

  describe('when it makes a template', () => {
    it('stamps it with the node\'s clock', () => {
      const t = template(make());
      expect(Buffer.from(t.header, 'hex').readUInt32BE(72)).toBe(NOW_MS / 1000);
    });
  });

  describe('when maxBlocks blocks were appended', () => {
    it('emits max-blocks once', () => {
      const node = make(2);
      const reached: WarthogMaxBlocksEvent[] = [];
      node.on('max-blocks', (e) => reached.push(e));
      for (let i = 0; i < 3; i++) expect(node.append(solved(template(node)))).toEqual({ code: 0, error: null });
      expect(reached).toEqual([{ blocks: 2 }]);
    });
  });

  describe('when the append request is malformed', () => {
    it.each([
      ['not an object', [1, 2], 95, /not a JSON object/],
      ['a negative height', { height: -1, header: '', body: '' }, 95, /height -1 is not a uint32/],
      ['a missing body', { height: 2_000_001, header: '00' }, 95, /must be hex strings/],
      ['an odd number of hex digits', { height: 2_000_001, header: '0', body: '' }, 101, /not hex digits of even length/],
      ['a 79-byte header', { height: 2_000_001, header: '00'.repeat(79), body: '' }, 95, /header is 79 bytes, not 80/],
      ['a body over 35000 bytes', { height: 2_000_001, header: '00'.repeat(80), body: '00'.repeat(35_001) }, 95, /body is 35001 bytes, more than 35000/],
    ])('answers the node\'s error for %s and emits rejected', (_name, request, code, detail) => {
      const node = make();
      const rejected: WarthogRejectedEvent[] = [];
      node.on('rejected', (e) => rejected.push(e));
      expect(node.append(request)).toEqual({ code, error: expect.any(String) });
      expect(rejected).toEqual([expect.objectContaining({ code, detail: expect.stringMatching(detail) })]);
      expect(node.chain.minedBlocks).toBe(0);
    });
  });

  describe('when maxBlocks is not a positive integer', () => {
    it('throws a config error', () => {
      expect(() => make(0)).toThrow(LodeError);
    });
  });
});
