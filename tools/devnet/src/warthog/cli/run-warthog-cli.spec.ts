import { createHash } from 'node:crypto';
import { runCli } from '../../cli/run-cli';
import type { WarthogMiningState } from '../http/warthog-envelope';
import { solveHeader } from '../testing/solve-header';
import { getJson, postJson } from '../testing/warthog-http-client';

const sha256 = (...parts: Buffer[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
// facts/warthog.md §6-H: an address with a valid checksum
const ACCOUNT = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093';
const EN = Buffer.from('00000001000000000002', 'hex');

describe('lode-devnet warthog', () => {
  describe('when a block arrives with --max-blocks 1', () => {
    it('prints the listening, rejected and accepted lines and exits with 0', async () => {
      const lines: string[] = [];
      let found: (url: string) => void = () => undefined;
      const url = new Promise<string>((resolve) => (found = resolve));
      const done = runCli(['node', 'lode-devnet', 'warthog', '--port', '0', '--difficulty', '1', '--max-blocks', '1'], (line) => {
        lines.push(line);
        const m = /listening on (\S+)/.exec(line);
        if (m) found(m[1]);
      });
      const base = await url;
      const t = (await getJson<{ data: WarthogMiningState }>(`${base}/chain/mine/${ACCOUNT}`)).data;
      const header = Buffer.from(t.header, 'hex');
      sha256(Buffer.from(t.merklePrefix, 'hex'), EN).copy(header, 36);
      const body = Buffer.concat([EN, Buffer.from(t.body, 'hex').subarray(10)]).toString('hex');
      // facts/warthog.md §6-D: difficulty 1 is TargetV2 003fffff
      const bad = await solveHeader(header, 0x003fffff, false);
      const good = await solveHeader(header, 0x003fffff, true);
      expect(await postJson(`${base}/chain/append`, { height: t.height, header: bad.toString('hex'), body })).toEqual({ code: 10, error: 'bad proof of work' });
      expect(await postJson(`${base}/chain/append`, { height: t.height, header: good.toString('hex'), body })).toEqual({ code: 0, error: null });
      expect(await done).toBe(0);
      const hash = (h: Buffer): string => sha256(sha256(h)).toString('hex');
      // the difficulty is printed as JavaScript prints the double of facts §6-D (shortest round trip)
      expect(lines).toEqual([
        `devnet: warthog listening on ${base} (difficulty ${1.0000002384186359}, target 003fffff, next block 2000001)`,
        `devnet: block rejected: bad proof of work (height 2000001, hash ${hash(bad)}: Janushash of the header is not below target 003fffff)`,
        `devnet: block 2000001 accepted ${hash(good)} nonce ${good.subarray(76).toString('hex')} (extranonce 00000001000000000002)`,
        'devnet: reached --max-blocks 1, stopping',
        'devnet: stopped',
      ]);
    });
  });
});
