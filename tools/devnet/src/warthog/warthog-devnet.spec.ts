import { createHash } from 'node:crypto';
import type { WarthogAppendEnvelope, WarthogChainHead, WarthogMiningState } from './http/warthog-envelope';
import type { WarthogBlockEvent, WarthogRejectedEvent } from './node/warthog-devnet-events';
import { solveHeader } from './testing/solve-header';
import { getJson, httpRequest, postJson } from './testing/warthog-http-client';
import { startWarthogDevnet } from './warthog-devnet';
import type { WarthogDevnet } from './warthog-devnet';

const sha256 = (...parts: Buffer[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

// facts/warthog.md §6-H: an address with a valid checksum
const ACCOUNT = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093';
// facts/warthog.md §6-D: difficulty 1 is TargetV2 003fffff, 1/τ = 1.0000002384186359
const TARGET_1 = 0x003fffff;
const EN = Buffer.from('00000001000000000002', 'hex');

interface Block {
  height: number;
  header: Buffer;
  body: Buffer;
}

// One devnet for the file, difficulty 1 (nearly every header with Y >= 0.005
// is a block); nonces are found with the native scan of @lode/coin-warthog.
describe('startWarthogDevnet', () => {
  let devnet: WarthogDevnet;
  const blocks: WarthogBlockEvent[] = [];
  const rejected: WarthogRejectedEvent[] = [];

  const mine = async (): Promise<WarthogMiningState> => {
    const reply = await getJson<{ code: number; data: WarthogMiningState }>(`${devnet.url}/chain/mine/${ACCOUNT}`);
    return reply.data;
  };
  const head = async (): Promise<WarthogChainHead> => (await getJson<{ data: WarthogChainHead }>(`${devnet.url}/chain/head`)).data;
  const append = (b: Block): Promise<WarthogAppendEnvelope> =>
    postJson(`${devnet.url}/chain/append`, { height: b.height, header: b.header.toString('hex'), body: b.body.toString('hex') });

  /** A block from the current template with extranonce EN, its merkle root recomputed (§4.4), then `edit`, then a nonce that is (or is not) valid. */
  const build = async (edit: (header: Buffer) => void = () => undefined, valid = true): Promise<Block> => {
    const t = await mine();
    const header = Buffer.from(t.header, 'hex');
    sha256(Buffer.from(t.merklePrefix, 'hex'), EN).copy(header, 36);
    edit(header);
    const body = Buffer.concat([EN, Buffer.from(t.body, 'hex').subarray(10)]);
    return { height: t.height, header: await solveHeader(header, TARGET_1, valid), body };
  };

  beforeAll(async () => {
    devnet = await startWarthogDevnet({ port: 0, difficulty: 1 });
    devnet.node.on('block', (e) => blocks.push(e));
    devnet.node.on('rejected', (e) => rejected.push(e));
  });

  afterAll(() => devnet.close());

  beforeEach(() => {
    blocks.length = 0;
    rejected.length = 0;
  });

  describe('when asked for work', () => {
    it('answers the node\'s mining state in a {code: 0, data} envelope', async () => {
      const reply = await httpRequest(`${devnet.url}/chain/mine/${ACCOUNT}`);
      expect(reply.status).toBe(200);
      const height = devnet.chain.height + 1;
      expect(reply.json).toEqual({
        code: 0,
        data: {
          header: expect.stringMatching(/^[0-9a-f]{160}$/),
          body: expect.stringMatching(/^0{20}0000[0-9a-f]{32}00000002[0-9a-f]{396}$/),
          merklePrefix: expect.stringMatching(/^[0-9a-f]{128}$/),
          difficulty: 1.0000002384186359,
          height,
          blockReward: '3.00000000',
          blockRewardE8: 300_000_000,
          totalTxFee: '0.00000000',
          totalTxFeeE8: 0,
          synced: true,
          testnet: false,
        },
      });
      const { header, body, merklePrefix } = (reply.json as { data: WarthogMiningState }).data;
      const h = Buffer.from(header, 'hex');
      expect(h.subarray(0, 32).toString('hex')).toBe((await head()).hash);
      expect(h.readUInt32BE(32)).toBe(TARGET_1);
      // merkle root of a zero extranonce, version 3, nonce 00000000 (facts §4.2)
      expect(h.subarray(36, 68).toString('hex')).toBe(sha256(Buffer.from(merklePrefix, 'hex'), Buffer.alloc(10)).toString('hex'));
      expect(h.readUInt32BE(68)).toBe(3);
      expect(h.subarray(76).toString('hex')).toBe('00000000');
      // the reward: uint64 account id, uint64 300000000 (0x11e1a300)
      expect(body.slice(40, 56)).toBe('0000000011e1a300');
    });

    it('answers the same for /chain/mine/:account/log', async () => {
      const reply = await getJson<{ code: number; data: WarthogMiningState }>(`${devnet.url}/chain/mine/${ACCOUNT}/log`);
      expect(reply).toMatchObject({ code: 0, data: { height: devnet.chain.height + 1, merklePrefix: (await mine()).merklePrefix } });
    });

    it('answers error 72 for an address whose checksum is wrong', async () => {
      expect(await getJson(`${devnet.url}/chain/mine/${ACCOUNT.slice(0, 40)}fe5f4094`)).toEqual({ code: 72, error: 'invalid address' });
      expect(await getJson(`${devnet.url}/chain/mine/xyz`)).toEqual({ code: 72, error: 'invalid address' });
    });
  });

  describe('when asked for the head', () => {
    it('answers hash, height, next difficulty, pin and worksum', async () => {
      const reply = await getJson<{ code: number; data: WarthogChainHead }>(`${devnet.url}/chain/head`);
      const height = devnet.chain.height;
      expect(reply).toEqual({
        code: 0,
        data: {
          hash: devnet.chain.head.hash.toString('hex'),
          synced: true,
          height,
          difficulty: 1.0000002384186359,
          is_janushash: true,
          pinHeight: height - (height % 32),
          pinHash: expect.stringMatching(/^[0-9a-f]{64}$/),
          worksum: height,
          worksumHex: `0x${height.toString(16).padStart(64, '0')}`,
        },
      });
    });
  });

  describe('when a block with a valid nonce is appended', () => {
    it('answers {code: 0, error: null}, advances the head to sha256d(header) and makes work on it', async () => {
      const before = await head();
      const block = await build();
      expect(await append(block)).toEqual({ code: 0, error: null });
      const hash = sha256(sha256(block.header)).toString('hex');
      expect(await head()).toMatchObject({ height: before.height + 1, hash });
      expect(blocks).toEqual([
        expect.objectContaining({ height: before.height + 1, hash, prevHash: before.hash, nonce: block.header.subarray(76).toString('hex'), extranonce: EN.toString('hex') }),
      ]);
      const next = await mine();
      expect([next.height, next.header.slice(0, 64)]).toEqual([before.height + 2, hash]);
    });
  });

  describe('when a block breaks a rule', () => {
    const u32 = (n: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };

    it('answers the node\'s error and keeps the head', async () => {
      const start = await head();
      const badNonce = await build(undefined, false);
      const badRoot = await build((h) => h.fill(7, 36, 68));
      const badTime = await build((h) => u32(Math.floor(Date.now() / 1000) - 3600).copy(h, 72));
      const badTarget = await build((h) => u32(0x007fffff).copy(h, 32));
      const good = await build();
      expect(await append(badNonce)).toEqual({ code: 10, error: 'bad proof of work' });
      expect(await append(badRoot)).toEqual({ code: 17, error: 'merkle root mismatch' });
      expect(await append(badTime)).toEqual({ code: 11, error: 'timestamp rule violated' });
      expect(await append(badTarget)).toEqual({ code: 12, error: 'wrong difficulty in block header' });
      expect(await head()).toEqual(start);
      expect(await append(good)).toEqual({ code: 0, error: null });
      // the same block again is stale now
      expect(await append(good)).toEqual({ code: 77, error: 'submitted deprecated block' });
      expect(rejected.map((r) => [r.name, r.height])).toEqual([
        ['EPOW', start.height + 1],
        ['EMROOT', start.height + 1],
        ['ETIMESTAMP', start.height + 1],
        ['EDIFFICULTY', start.height + 1],
        ['EMINEDDEPRECATED', start.height + 1],
      ]);
      expect((await head()).height).toBe(start.height + 1);
    });
  });

  describe('when the request is malformed', () => {
    it('answers 95 for JSON that is not {height, header, body} and 101 for hex that is not hex', async () => {
      expect(await postJson(`${devnet.url}/chain/append`, { height: 1, header: 'zz' })).toEqual({ code: 95, error: 'invalid API arguments' });
      expect(await postJson(`${devnet.url}/chain/append`, { height: 1, header: 'zz', body: '' })).toEqual({ code: 101, error: 'cannot parse hexadecimal input' });
      const notJson = await httpRequest(`${devnet.url}/chain/append`, 'POST', '{"height":');
      expect([notJson.status, notJson.json]).toEqual([200, { code: 95, error: 'invalid API arguments' }]);
    });

    it('answers 404 with "not found" for any other path', async () => {
      const reply = await httpRequest(`${devnet.url}/chain/block/1`);
      expect([reply.status, reply.json]).toEqual([404, { code: 57, error: 'not found' }]);
    });
  });
});
