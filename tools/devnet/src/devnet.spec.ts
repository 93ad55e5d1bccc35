import { DEVNET_GENESIS } from './chain/genesis';
import { startDevnet } from './devnet';
import type { Devnet } from './devnet';
import type { BlockAcceptedEvent, BlockRejectedEvent } from './node/devnet-events';
import type { BlockTemplate } from './template/block-template';
import { dsha, handBlock, internal, merkle } from './testing/hand-block';
import type { HandBlock, HandBlockOptions } from './testing/hand-block';
import { rpc } from './testing/rpc-client';

// End to end inside the devnet: blocks built by hand from its templates (an
// independent coinbase/merkle/commitment implementation in testing/hand-block.ts),
// mined against nBits 207fffff, submitted over HTTP on 127.0.0.1.
describe('devnet', () => {
  let devnet: Devnet;
  let nowMs = (DEVNET_GENESIS.header.time + 3600) * 1000;
  const accepted: BlockAcceptedEvent[] = [];
  const rejected: BlockRejectedEvent[] = [];

  const template = async (): Promise<BlockTemplate> => (await rpc<BlockTemplate>(devnet.url, 'getblocktemplate', [{ rules: ['segwit'] }])).result;
  const submit = async (block: HandBlock | string) =>
    rpc<string | null>(devnet.url, 'submitblock', [typeof block === 'string' ? block : block.hex]);
  const reasonFor = async (options: HandBlockOptions): Promise<string | null> => (await submit(handBlock(await template(), options))).result;

  beforeAll(async () => {
    devnet = await startDevnet({
      port: 0,
      bits: 0x207fffff,
      mempoolRefreshSeconds: 0,
      minTransactions: 2,
      maxTransactions: 2,
      clock: () => nowMs,
    });
    devnet.node.on('block', (e) => accepted.push(e));
    devnet.node.on('rejected', (e) => rejected.push(e));
  });

  afterAll(async () => {
    await devnet.close();
  });

  describe('when a miner submits a valid block built from the template', () => {
    let block: HandBlock;
    let firstTemplate: BlockTemplate;

    it('answers null and advances the tip to height 1', async () => {
      const t = await template();
      firstTemplate = t;
      expect(t.height).toBe(1);
      expect(t.transactions).toHaveLength(2);
      block = handBlock(t);
      expect(await submit(block)).toMatchObject({ status: 200, result: null, error: null });
      expect((await rpc(devnet.url, 'getbestblockhash')).result).toBe(block.hash);
      expect((await rpc(devnet.url, 'getblockcount')).result).toBe(1);
      expect(accepted).toEqual([expect.objectContaining({ height: 1, hash: block.hash, coinbaseTag: '/Lode/', txCount: 3 })]);
    });

    it('serves the block header and the next template on top of it', async () => {
      const header = (await rpc<Record<string, unknown>>(devnet.url, 'getblockheader', [block.hash])).result;
      expect(header).toMatchObject({ hash: block.hash, height: 1, confirmations: 1, nTx: 3, bits: '207fffff', previousblockhash: DEVNET_GENESIS_HASH() });
      const t = await template();
      expect(t).toMatchObject({ previousblockhash: block.hash, height: 2 });
      expect((await rpc(devnet.url, 'getblockhash', [1])).result).toBe(block.hash);
    });

    it('answers duplicate when the same block comes again', async () => {
      expect((await submit(block)).result).toBe('duplicate');
    });

    it('answers bad-txns-inputs-missingorspent for a transaction that block already confirmed', async () => {
      const t = await template();
      const spent = firstTemplate.transactions.slice(0, 1);
      const block = handBlock(t, { transactions: spent, commitment: commitmentFor(spent) });
      expect((await submit(block)).result).toBe('bad-txns-inputs-missingorspent');
    });
  });

  describe('when a field of the block is wrong', () => {
    it('answers high-hash for a nonce that misses the target', async () => {
      expect(await reasonFor({ pow: 'invalid' })).toBe('high-hash');
    });

    it('answers bad-diffbits for other nBits (still meeting their own target)', async () => {
      expect(await reasonFor({ bits: '207ffffe' })).toBe('bad-diffbits');
    });

    it('answers prev-blk-not-found for an unknown parent', async () => {
      expect(await reasonFor({ previousblockhash: 'ab'.repeat(32) })).toBe('prev-blk-not-found');
    });

    it('answers bad-txnmrklroot for a wrong merkle root', async () => {
      expect(await reasonFor({ merkleRoot: '11'.repeat(32) })).toBe('bad-txnmrklroot');
    });

    it('answers bad-txns-duplicate for a repeated last transaction', async () => {
      const t = await template();
      const [a, b] = t.transactions;
      expect((await submit(handBlock(t, { transactions: [a, b, b] }))).result).toBe('bad-txns-duplicate');
    });

    it('answers bad-cb-height for the height of the next block', async () => {
      const t = await template();
      expect((await submit(handBlock(t, { height: t.height + 1 }))).result).toBe('bad-cb-height');
    });

    it('answers bad-cb-amount for one satoshi over coinbasevalue', async () => {
      const t = await template();
      expect((await submit(handBlock(t, { coinbaseValue: t.coinbasevalue + 1 }))).result).toBe('bad-cb-amount');
    });

    it('answers bad-witness-merkle-match for a commitment without the transactions', async () => {
      const t = await template();
      const root = merkle([Buffer.alloc(32)]);
      const commitment = `6a24aa21a9ed${dsha(Buffer.concat([root, Buffer.alloc(32)])).toString('hex')}`;
      expect((await submit(handBlock(t, { commitment }))).result).toBe('bad-witness-merkle-match');
    });

    it('answers bad-witness-merkle-match for a witness nonce the commitment did not use', async () => {
      expect(await reasonFor({ witnessNonce: Buffer.alloc(32, 1) })).toBe('bad-witness-merkle-match');
    });

    it('answers bad-witness-nonce-size for a 31-byte witness nonce', async () => {
      expect(await reasonFor({ witnessNonce: Buffer.alloc(31) })).toBe('bad-witness-nonce-size');
    });

    it('answers time-too-old for a time at the median time past', async () => {
      const t = await template();
      expect((await submit(handBlock(t, { time: t.mintime - 1 }))).result).toBe('time-too-old');
    });

    it('answers time-too-new for a time more than 2 hours ahead of the clock', async () => {
      const t = await template();
      expect((await submit(handBlock(t, { time: Math.floor(nowMs / 1000) + 7201 }))).result).toBe('time-too-new');
    });

    it('answers bad-version(0x00000003) for a version below 4', async () => {
      expect(await reasonFor({ version: 3 })).toBe('bad-version(0x00000003)');
    });

    it('answers bad-txns-inputs-missingorspent for a transaction it never offered', async () => {
      const t = await template();
      const [a] = t.transactions;
      // the same transaction with another locktime: well-formed, unknown to the node
      const data = `${a.data.slice(0, -8)}01000000`;
      const full = Buffer.from(data, 'hex');
      // txid of a segwit tx: hash of version ‖ inputs ‖ outputs ‖ locktime without marker, flag and witness
      const unknown = [{ data, txid: txidOfSegwit(full), hash: Buffer.from(dsha(full)).reverse().toString('hex') }];
      expect((await submit(handBlock(t, { transactions: unknown, commitment: commitmentFor(unknown) }))).result).toBe(
        'bad-txns-inputs-missingorspent',
      );
    });

    it('logs each rejection as an event with its reason', () => {
      const reasons = rejected.map((r) => r.reason);
      expect(reasons).toEqual(expect.arrayContaining(['high-hash', 'bad-diffbits', 'bad-cb-height', 'bad-witness-nonce-size']));
    });
  });

  describe('when the hex is not a block', () => {
    it('answers error -22 "Block decode failed" with HTTP 500', async () => {
      for (const hex of ['zz', '00', `${'00'.repeat(80)}01`]) {
        const reply = await submit(hex);
        expect(reply).toMatchObject({ status: 500, result: null, error: { code: -22, message: 'Block decode failed' } });
      }
    });

    it('answers error -22 "Block does not start with a coinbase" for a block without one', async () => {
      const reply = await submit(handBlock(await template(), { coinbaseLast: true }));
      expect(reply.error).toEqual({ code: -22, message: 'Block does not start with a coinbase' });
    });
  });

  describe('when the coinbase has a commitment but no witness', () => {
    it('accepts it with the default witness nonce, as bitcoind does', async () => {
      const t = await template();
      const block = handBlock(t, { witnessNonce: null });
      expect((await submit(block)).result).toBeNull();
      expect((await rpc(devnet.url, 'getblockcount')).result).toBe(2);
    });
  });

  describe('when a block builds on a known block that is no longer the tip', () => {
    it('answers inconclusive, and proposals answer inconclusive-not-best-prevblk', async () => {
      const stale = await template();
      nowMs += 1000;
      expect((await submit(handBlock(stale))).result).toBeNull();
      const competing = handBlock(stale, { tag: '/other/' });
      expect((await submit(competing)).result).toBe('inconclusive');
      const proposal = await rpc(devnet.url, 'getblocktemplate', [{ mode: 'proposal', data: competing.hex }]);
      expect(proposal.result).toBe('inconclusive-not-best-prevblk');
    });
  });

  describe('when a block is proposed (BIP 23)', () => {
    it('checks it without proof of work and without connecting it', async () => {
      const t = await template();
      const good = handBlock(t, { pow: 'invalid' });
      expect((await rpc(devnet.url, 'getblocktemplate', [{ mode: 'proposal', data: good.hex }])).result).toBeNull();
      const bad = handBlock(t, { pow: 'invalid', coinbaseValue: t.coinbasevalue + 1 });
      expect((await rpc(devnet.url, 'getblocktemplate', [{ mode: 'proposal', data: bad.hex }])).result).toBe('bad-cb-amount');
      expect((await rpc(devnet.url, 'getblockcount')).result).toBe(3);
    });
  });

  describe('when queried after three blocks', () => {
    it('reports coinbasevalue = subsidy + fees and the chain state', async () => {
      const t = await template();
      const fees = t.transactions.reduce((s, x) => s + x.fee, 0);
      expect(t.coinbasevalue).toBe(5_000_000_000 + fees);
      const info = (await rpc<Record<string, unknown>>(devnet.url, 'getblockchaininfo')).result;
      expect(info).toMatchObject({ chain: 'devnet', blocks: 3, headers: 3, initialblockdownload: false, bestblockhash: t.previousblockhash });
    });
  });

  function DEVNET_GENESIS_HASH(): string {
    return Buffer.from(dsha(DEVNET_GENESIS.bytes.subarray(0, 80))).reverse().toString('hex');
  }

  function txidOfSegwit(full: Buffer): string {
    // version(4) marker(1) flag(1) | inputs and outputs | witnesses | locktime(4): find the witness start by
    // walking the input and output lists (CompactSize counts below 0xfd in these small transactions)
    let at = 6;
    const inputs = full[at++];
    for (let i = 0; i < inputs; i++) {
      at += 36;
      at += 1 + full[at];
      at += 4;
    }
    const outputs = full[at++];
    for (let i = 0; i < outputs; i++) {
      at += 8;
      at += 1 + full[at];
    }
    const stripped = Buffer.concat([full.subarray(0, 4), full.subarray(6, at), full.subarray(full.length - 4)]);
    return Buffer.from(dsha(stripped)).reverse().toString('hex');
  }

  function commitmentFor(txs: readonly { hash: string }[]): string {
    const root = merkle([Buffer.alloc(32), ...txs.map((x) => internal(x.hash))]);
    return `6a24aa21a9ed${dsha(Buffer.concat([root, Buffer.alloc(32)])).toString('hex')}`;
  }
});
