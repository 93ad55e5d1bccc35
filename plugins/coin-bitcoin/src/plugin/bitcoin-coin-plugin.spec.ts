import { Block } from 'bitcoinjs-lib';
import { Container } from 'inversify';
import { BITCOIN_DIFF1_TARGET } from '@lode/mining';
import { COIN_PLUGIN, type CoinJob, type NativeHasher, type ShareSubmission } from '@lode/plugin-api';
import { realBlockJob } from '../testing/real-block-job.fixture';
import { MAINNET_100000, TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { displayFromRaw, rawFromDisplay, referenceSha256d } from '../testing/sha256d.fixture';
import { memoryLogger } from '../testing/memory-logger.fixture';
import { BitcoinNode } from '../node/bitcoin-node';
import { BitcoinCoinPlugin } from './bitcoin-coin-plugin';
import type { BitcoinJob } from './bitcoin-job';
import { bitcoinPluginModule } from './bitcoin-plugin-module';

// the addon is the other half of this package; these tests only check that it is loaded lazily
const fakeHasher: NativeHasher = {
  implementation: 'fake',
  hash: () => Buffer.alloc(32),
  scan: () => Promise.resolve({ hits: [], hashes: 0 }),
};
jest.mock('../native-hasher', () => ({ createBitcoinHasher: jest.fn(() => fakeHasher) }));
const { createBitcoinHasher } = jest.requireMock('../native-hasher') as { createBitcoinHasher: jest.Mock };

/**
 * realBlockJob with the block's own transactions, after checking that the
 * coinbase as it sits in the raw block is `coinbaseInBlock`.
 */
function realBlockJobWithTransactions(
  block: typeof MAINNET_100000 | typeof TESTNET3_1263442,
  offset: number,
  witness: boolean,
  coinbaseInBlock: string,
): { job: BitcoinJob; share: ShareSubmission } {
  expect(block.rawBlock.slice(162, 162 + coinbaseInBlock.length)).toBe(coinbaseInBlock);
  const transactions = (Block.fromHex(block.rawBlock).transactions ?? []).slice(1).map((tx) => tx.toHex());
  return realBlockJob(block, offset, { transactions, witness });
}

/** A testnet3 template around the real block 1263442's second transaction and witness commitment. */
function testnetTemplate(): Record<string, unknown> {
  const tx = (Block.fromHex(TESTNET3_1263442.rawBlock).transactions ?? [])[1];
  return {
    version: 0x20000000,
    previousblockhash: TESTNET3_1263442.prevhashDisplay,
    transactions: [
      {
        data: tx.toHex(),
        txid: TESTNET3_1263442.txidsDisplay[1],
        // the wtxid (facts/bitcoin-blocks.md), which must not enter the merkle branch
        hash: '0e18b1460f8c2008c9709107ef0b06c2f1dca5381b047f79554f03aa60c101a8',
      },
    ],
    coinbasevalue: TESTNET3_1263442.payoutValue,
    target: '000000000000dcad000000000000000000000000000000000000000000000000',
    mintime: TESTNET3_1263442.ntime - 1000,
    curtime: TESTNET3_1263442.ntime,
    bits: '1d00dcad',
    height: TESTNET3_1263442.height,
    default_witness_commitment: TESTNET3_1263442.witnessCommitmentScript,
  };
}

const CONFIG = {
  node: { url: 'http://127.0.0.1:18332' },
  payoutAddress: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
  network: 'testnet',
};

function createJob(plugin: BitcoinCoinPlugin, config: Record<string, unknown> = CONFIG): BitcoinJob {
  const raw = testnetTemplate();
  return plugin.createJob(
    { height: TESTNET3_1263442.height, prevHash: TESTNET3_1263442.prevhashDisplay, networkTarget: 0xdcadn << 208n, raw },
    { jobId: 'j1', extranonce1Size: 4, extranonce2Size: 4 },
    config,
  );
}

function share(overrides: Partial<ShareSubmission> = {}): ShareSubmission {
  return {
    jobId: 'j1',
    extranonce1: Buffer.from('01020304', 'hex'),
    extranonce2: Buffer.from('0a0b0c0d', 'hex'),
    ntime: TESTNET3_1263442.ntime,
    nonce: 0x12345678,
    ...overrides,
  };
}

describe('BitcoinCoinPlugin', () => {
  describe('when constructed', () => {
    it('describes the btc coin', () => {
      const plugin = new BitcoinCoinPlugin();
      expect(plugin).toMatchObject({ id: 'btc', name: 'Bitcoin', algorithm: 'sha256d', dialects: ['bitcoin'] });
      // Stratum difficulty 1 = 0xffff * 2^208 (facts/bitcoin-stratum.md "Targets")
      expect(plugin.diff1Target).toBe(0xffffn << 208n);
      expect(plugin.diff1Target).toBe(BITCOIN_DIFF1_TARGET);
    });

    it('loads the native hasher only on first access, once', () => {
      createBitcoinHasher.mockClear();
      const plugin = new BitcoinCoinPlugin();
      expect(createBitcoinHasher).not.toHaveBeenCalled();
      expect(plugin.hasher).toBe(fakeHasher);
      expect(plugin.hasher).toBe(fakeHasher);
      expect(createBitcoinHasher).toHaveBeenCalledTimes(1);
    });
  });

  describe('when given a share replayed from testnet3 block 1263442', () => {
    // the scriptSig starts at byte 42; its 8 zero bytes at scriptSig offset 26 become extranonce1 | extranonce2
    const { job, share: realShare } = realBlockJobWithTransactions(TESTNET3_1263442, 42 + 26, true, TESTNET3_1263442.coinbaseWithWitness);
    const plugin = new BitcoinCoinPlugin();

    it('accepts it in checkShare', () => {
      expect(plugin.checkShare(job, realShare)).toBeUndefined();
    });

    it('builds the real header, whose sha256d is the block hash', () => {
      const header = plugin.buildHeader(job, realShare);
      expect(header.toString('hex')).toBe(TESTNET3_1263442.header);
      expect(displayFromRaw(referenceSha256d(header))).toBe(TESTNET3_1263442.hashDisplay);
      expect(plugin.displayHash(referenceSha256d(header))).toBe(TESTNET3_1263442.hashDisplay);
    });

    it('builds the real raw block, coinbase with witness', () => {
      const header = plugin.buildHeader(job, realShare);
      expect(plugin.buildBlock(job, realShare, header)).toBe(TESTNET3_1263442.rawBlock);
    });
  });

  describe('when given a share replayed from mainnet block 100000 (pre-segwit)', () => {
    // the whole 8-byte scriptSig (bytes 42..49) is the placeholder
    const { job, share: realShare } = realBlockJobWithTransactions(MAINNET_100000, 42, false, MAINNET_100000.coinbase);
    const plugin = new BitcoinCoinPlugin();

    it('builds the real header and raw block', () => {
      const header = plugin.buildHeader(job, realShare);
      expect(header.toString('hex')).toBe(MAINNET_100000.header);
      expect(displayFromRaw(referenceSha256d(header))).toBe(MAINNET_100000.hashDisplay);
      expect(plugin.buildBlock(job, realShare, header)).toBe(MAINNET_100000.rawBlock);
    });
  });

  describe('when creating a job from a segwit template', () => {
    const plugin = new BitcoinCoinPlugin();
    const job = createJob(plugin);

    it('fills the notify fields in their wire forms', () => {
      expect(job).toMatchObject({
        id: 'j1',
        coin: 'btc',
        height: TESTNET3_1263442.height,
        prevHash: TESTNET3_1263442.prevhashDisplay,
        networkTarget: 0xdcadn << 208n,
        ntimeMin: TESTNET3_1263442.ntime - 1000,
        ntimeMax: TESTNET3_1263442.ntime + 7200,
      });
      expect(job.work).toMatchObject({
        dialect: 'bitcoin',
        prevhash: TESTNET3_1263442.prevhashStratum,
        version: 0x20000000,
        nbits: 0x1d00dcad,
        ntime: TESTNET3_1263442.ntime,
      });
    });

    it('builds the merkle branch from txids, not wtxids', () => {
      expect(job.work.merkleBranches).toEqual(TESTNET3_1263442.branches);
    });

    it('opens the coinbase scriptSig with the BIP 34 height and the default tag /Lode/', () => {
      expect(job.work.coinb1.endsWith(TESTNET3_1263442.heightPush + Buffer.from('/Lode/').toString('hex'))).toBe(true);
    });

    it('builds a block whose merkle root and witness commitment check out (bitcoinjs-lib)', () => {
      const s = share();
      const header = plugin.buildHeader(job, s);
      const block = Block.fromHex(plugin.buildBlock(job, s, header));
      expect(block.checkTxRoots()).toBe(true);
      expect(block.hasWitnessCommit()).toBe(true);
      const coinbase = (block.transactions ?? [])[0];
      expect(coinbase.outs[0].value).toBe(BigInt(TESTNET3_1263442.payoutValue));
      // BIP 350 vector: tb1qrp33g0q5… -> 0020 1863143c…
      expect(Buffer.from(coinbase.outs[0].script).toString('hex')).toBe(
        '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
      );
      expect(Buffer.from(block.transactions?.[1].toBuffer() ?? []).toString('hex')).toBe(
        (Block.fromHex(TESTNET3_1263442.rawBlock).transactions ?? [])[1].toHex(),
      );
    });

    it('honours coinbaseTag and ntimeFutureSeconds from the config', () => {
      const other = createJob(plugin, { ...CONFIG, coinbaseTag: 'pool', ntimeFutureSeconds: 60 });
      expect(other.work.coinb1.endsWith(TESTNET3_1263442.heightPush + Buffer.from('pool').toString('hex'))).toBe(true);
      expect(other.ntimeMax).toBe(TESTNET3_1263442.ntime + 60);
    });
  });

  describe('when the template has no mintime', () => {
    it('starts the ntime window at curtime', () => {
      const plugin = new BitcoinCoinPlugin();
      const raw = { ...testnetTemplate(), mintime: undefined };
      const job = plugin.createJob(
        { height: 1, prevHash: TESTNET3_1263442.prevhashDisplay, networkTarget: 1n, raw },
        { jobId: 'j', extranonce1Size: 4, extranonce2Size: 4 },
        CONFIG,
      );
      expect(job.ntimeMin).toBe(TESTNET3_1263442.ntime);
    });
  });

  describe('when the payout address is of another network', () => {
    it('createJob and createNode throw LodeError(config)', () => {
      const plugin = new BitcoinCoinPlugin();
      const config = { ...CONFIG, payoutAddress: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' };
      expect(() => createJob(plugin, config)).toThrow(expect.objectContaining({ kind: 'config' }));
      expect(() => plugin.createNode(config, memoryLogger())).toThrow(expect.objectContaining({ kind: 'config' }));
    });
  });

  describe('when creating a node', () => {
    it('returns a BitcoinNode for the config\'s node section', () => {
      expect(new BitcoinCoinPlugin().createNode(CONFIG, memoryLogger())).toBeInstanceOf(BitcoinNode);
    });
  });

  describe('when checking shares', () => {
    const plugin = new BitcoinCoinPlugin();
    const job = createJob(plugin);

    it('refuses an extranonce2 of the wrong size', () => {
      expect(plugin.checkShare(job, share({ extranonce2: Buffer.alloc(3) }))).toEqual({
        reason: 'bad-extranonce2',
        message: 'extranonce2 is 3 bytes, the job expects 4',
      });
    });

    it('refuses an ntime before the window', () => {
      expect(plugin.checkShare(job, share({ ntime: job.ntimeMin - 1 }))).toMatchObject({ reason: 'bad-ntime' });
      expect(plugin.checkShare(job, share({ ntime: job.ntimeMin }))).toBeUndefined();
    });

    it('refuses an ntime after the window, naming both values', () => {
      const rejection = plugin.checkShare(job, share({ ntime: job.ntimeMax + 1 }));
      expect(rejection).toEqual({
        reason: 'bad-ntime',
        message: `ntime ${(job.ntimeMax + 1).toString(16)} is after the job's latest ${job.ntimeMax.toString(16)} (the template's curtime + 7200 s)`,
      });
      expect(plugin.checkShare(job, share({ ntime: job.ntimeMax }))).toBeUndefined();
    });

    it('refuses version bits outside the negotiated mask', () => {
      expect(plugin.checkShare(job, share({ versionBits: 0x20000000, versionMask: 0x1fffe000 }))).toEqual({
        reason: 'bad-version',
        message: 'version bits 20000000 fall outside the negotiated mask 1fffe000',
      });
    });

    it('accepts version bits inside the mask, and ignores them without a mask', () => {
      expect(plugin.checkShare(job, share({ versionBits: 0x1fffe000, versionMask: 0x1fffe000 }))).toBeUndefined();
      expect(plugin.checkShare(job, share({ versionBits: 0xffffffff }))).toBeUndefined();
    });
  });

  describe('when a share rolls the version (BIP 310)', () => {
    const plugin = new BitcoinCoinPlugin();
    const job = createJob(plugin);

    it('puts (job & ~mask) | (bits & mask) into the header, little-endian', () => {
      const header = plugin.buildHeader(job, share({ versionBits: 0x00002000, versionMask: 0x1fffe000 }));
      expect(header.subarray(0, 4).toString('hex')).toBe('00200020');
    });

    it('keeps the job version when no mask was negotiated', () => {
      const header = plugin.buildHeader(job, share({ versionBits: 0x00002000 }));
      expect(header.subarray(0, 4).toString('hex')).toBe('00000020');
    });

    it('writes the share\'s ntime and nonce little-endian', () => {
      const header = plugin.buildHeader(job, share({ ntime: 0x5a764560, nonce: 0x9546a142 }));
      expect(header.subarray(68, 72).toString('hex')).toBe('6045765a');
      expect(header.subarray(76, 80).toString('hex')).toBe('42a14695');
    });

    it('keeps the prevhash and nbits of the job', () => {
      const header = plugin.buildHeader(job, share());
      expect(header.subarray(4, 36)).toEqual(rawFromDisplay(TESTNET3_1263442.prevhashDisplay));
      expect(header.subarray(72, 76).toString('hex')).toBe('addc001d');
    });
  });

  describe('when reading the version rolling mask from the config', () => {
    const plugin = new BitcoinCoinPlugin();

    it('defaults to BIP 320 (1fffe000)', () => {
      expect(plugin.versionRollingMask(CONFIG)).toBe(0x1fffe000);
    });

    it.each([
      ['bip320', 0x1fffe000],
      ['bip323', 0x1fffffe0],
      ['00fff000', 0x00fff000],
      ['1FFFE000', 0x1fffe000],
      ['off', 0],
      ['00000000', 0],
    ])('reads %j as its mask', (setting, mask) => {
      expect(plugin.versionRollingMask({ ...CONFIG, versionRollingMask: setting })).toBe(mask);
    });

    it('throws LodeError(config) for a malformed setting', () => {
      expect(() => plugin.versionRollingMask({ ...CONFIG, versionRollingMask: 'all' })).toThrow(
        expect.objectContaining({ kind: 'config', message: expect.stringContaining('btc.versionRollingMask is "all"') }),
      );
    });
  });

  describe('when a share with rolled version bits is a block', () => {
    // the job version has bit 22 set inside the mask (as DigiByte's signalling bit 23 is,
    // field-notes §3(b)): BIP 310 replaces the masked bits, where OR or XOR would keep bit 22
    const plugin = new BitcoinCoinPlugin();
    const raw = { ...testnetTemplate(), version: 0x20400000 };
    const job = plugin.createJob(
      { height: TESTNET3_1263442.height, prevHash: TESTNET3_1263442.prevhashDisplay, networkTarget: 0xdcadn << 208n, raw },
      { jobId: 'jv', extranonce1Size: 4, extranonce2Size: 4 },
      CONFIG,
    );
    const mask = plugin.versionRollingMask(CONFIG);
    const rolled = share({ jobId: 'jv', versionBits: 0x00002000, versionMask: mask });

    it('passes checkShare', () => {
      expect(plugin.checkShare(job, rolled)).toBeUndefined();
    });

    it('submits a block whose header carries (job_version & ~mask) | (bits & mask)', () => {
      // (0x20400000 & ~0x1fffe000) | (0x00002000 & 0x1fffe000) = 0x20002000, by BIP 310's formula
      const blockHex = plugin.buildBlock(job, rolled, plugin.buildHeader(job, rolled));
      const block = Buffer.from(blockHex, 'hex');
      expect(block.readUInt32LE(0)).toBe(0x20002000);
      expect(blockHex.slice(0, 8)).toBe('00200020');
      expect(Block.fromHex(blockHex).version).toBe(0x20002000);
    });
  });

  describe('when the share does not fit the job', () => {
    const plugin = new BitcoinCoinPlugin();
    const job = createJob(plugin);

    it('buildHeader throws LodeError(share) for an extranonce1 of another size', () => {
      expect(() => plugin.buildHeader(job, share({ extranonce1: Buffer.alloc(8) }))).toThrow(
        expect.objectContaining({ kind: 'share', message: 'extranonce1 is 8 bytes, job j1 was built for 4' }),
      );
    });

    it('throws LodeError(plugin) for a job of another coin', () => {
      const foreign = { ...job, coin: 'eth', bitcoin: undefined } as unknown as CoinJob;
      const foreignWork = { ...job, coin: 'eth', work: { dialect: 'ethstratum' } } as unknown as CoinJob;
      expect(() => plugin.buildHeader(foreignWork, share())).toThrow(expect.objectContaining({ kind: 'plugin' }));
      expect(() => plugin.checkShare(foreign, share())).toThrow(expect.objectContaining({ kind: 'plugin' }));
    });

    it('builds the same header from the Stratum v1 work alone, as a miner does from mining.notify', () => {
      const fromNotify = { ...job, bitcoin: undefined } as unknown as CoinJob;
      expect(plugin.buildHeader(fromNotify, share()).equals(plugin.buildHeader(job, share()))).toBe(true);
    });
  });

  describe('when loaded through bitcoinPluginModule', () => {
    it('binds one BitcoinCoinPlugin to COIN_PLUGIN in singleton scope', async () => {
      const container = new Container();
      await container.load(bitcoinPluginModule);
      const plugins = container.getAll(COIN_PLUGIN);
      expect(plugins).toHaveLength(1);
      expect(plugins[0]).toBeInstanceOf(BitcoinCoinPlugin);
      expect(container.getAll(COIN_PLUGIN)[0]).toBe(plugins[0]);
    });
  });
});
