import { resolve } from 'node:path';
import { Container } from 'inversify';
import { BehaviorSubject } from 'rxjs';
import { discoverPlugins, loadPlugins, selectCoin, type CoinNode, type CoinPlugin, type CoinTemplate } from '@lode/plugin-api';
import { MemorySessionStore, MemoryShareStore, PoolEngine } from '@lode/pool-engine';
import { silentLogger } from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import { RawMiner } from './eth-raw-miner.test-helper';
import { EthStratumPort } from './ethstratum-port';

/**
 * facts/ethash.md §1.2 / §4.5: the example session of NiceHash's
 * EthereumStratum/1.0.0 spec (epoch 50, extranonce a2eea0, miner nonce
 * cfae7df760 -> final 000000008967835b..., share difficulty 1.863).
 */
const SEED_HASH = 'abad8f99f3918bf903c6a909d9bbc0fdfa5a2f4b9cb1196175ec825c6610126c';
const HEADER_HASH = 'fc12eb20c58158071c956316cdcd12a22dd8bf126ac4aee559f0ffe4df11f279';
/** a block of epoch 50 (ethash: block / 30000) */
const HEIGHT = 50 * 30000;
/** ES1 difficulty 1 in the engine's unit (diff1 2^256): the ES1 diff-1 target is 0xffff · 2^208 (facts/ethash.md §1.2) */
const ES1_DIFFICULTY_1 = 2 ** 48 / 0xffff;
/** facts/ethash.md §4.5: the full nonce (extranonce a2eea0 ‖ miner nonce cfae7df760) and its mix digest */
const NONCE = 'a2eea0cfae7df760';
const MIX = 'f6cd1b1ca4c4ea8ef652f929e3d04b24fb4a4a41be30ebcd68226067c76768c3';

let loaded: CoinPlugin | undefined;
/** the eth plugin, discovered at run time as the pool does (apps never import plugins); one instance, so one epoch-50 cache */
function ethPlugin(): CoinPlugin {
  if (loaded === undefined) {
    const found = discoverPlugins({ from: resolve(__dirname, '../..'), plugins: ['@lode/coin-ethereum'] });
    loaded = selectCoin(loadPlugins(new Container(), found), 'eth');
  }
  return loaded;
}

function epoch50Node(blocks: string[]): CoinNode {
  const template: CoinTemplate = {
    height: HEIGHT,
    prevHash: (HEIGHT - 1).toString(16).padStart(64, '0'),
    // a network boundary far below the share's final hash: the share is no block
    networkTarget: 1n,
    raw: { headerHash: HEADER_HASH, seedHash: SEED_HASH, boundary: '1'.padStart(64, '0'), height: HEIGHT },
  };
  return {
    templates$: new BehaviorSubject(template),
    start: async () => undefined,
    stop: async () => undefined,
    submitBlock: async (block) => {
      blocks.push(block);
      return { accepted: false, hash: '', reason: 'test node' };
    },
  };
}

const PORT_CONFIG: PortConfig = {
  name: 'eth',
  host: '127.0.0.1',
  port: 0,
  coin: 'eth',
  dialect: 'ethstratum',
  ethstratum: {
    dialects: ['es2', 'es1', 'ethproxy', 'plain'],
    encoding: 'plain',
    resume: true,
    timeoutSeconds: 180,
    maxErrors: 5,
    hashrateMinIntervalSeconds: 10,
    hashrateNotifySeconds: 0,
  },
  difficulty: { initial: ES1_DIFFICULTY_1 },
  versionRolling: { allowWithoutConfigure: false },
  maxLineBytes: 16384,
  idleTimeoutSeconds: 0,
};

describe('EthStratumPort replaying the NiceHash EthereumStratum/1.0.0 session of facts/ethash.md §1.2', () => {
  let engine: PoolEngine;
  let port: EthStratumPort;
  let miner: RawMiner;
  const shares = new MemoryShareStore();
  const blocks: string[] = [];

  beforeAll(async () => {
    const plugin = ethPlugin();
    engine = new PoolEngine({
      plugin,
      node: epoch50Node(blocks),
      coinConfig: { node: { url: 'http://127.0.0.1:1' }, extranonceBytes: 3 },
      shareStore: shares,
      sessionStore: new MemorySessionStore(),
      // a 3-byte prefix of a 3-byte extranonce1 leaves exactly a2eea0, the spec's extranonce
      options: { instancePrefix: Buffer.from('a2eea0', 'hex') },
    });
    await engine.start();
    port = new EthStratumPort(PORT_CONFIG, engine, plugin.diff1Target, silentLogger, false);
    miner = await RawMiner.open((await port.listen()).port);
  }, 60_000);

  afterAll(async () => {
    miner.close();
    port.closeAll('test over');
    await port.stopAccepting();
    await engine.stop();
  });

  it('answers every line as the spec does, and credits the share of difficulty 1.863', async () => {
    miner.send('{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}');
    expect(await miner.nextJson()).toEqual({
      id: 1,
      result: [['mining.notify', expect.any(String), 'EthereumStratum/1.0.0'], 'a2eea0'],
      error: null,
    });
    miner.send('{"id":2,"method":"mining.authorize","params":["test","password"]}');
    expect(await miner.next()).toBe('{"id":2,"result":true,"error":null}');
    // The spec prints [1.0]; JSON numbers cannot keep the ".0", so the same value prints as [1]
    // (the engine's 2^48/0xffff is not exact in a double; the ES1 session rounds to 15 digits).
    expect(await miner.next()).toBe('{"id":null,"method":"mining.set_difficulty","params":[1]}');
    const notify = await miner.nextJson<{ params: unknown[] }>();
    const jobId = notify.params[0] as string;
    expect(notify).toEqual({ id: null, method: 'mining.notify', params: [jobId, SEED_HASH, HEADER_HASH, true] });

    miner.send(`{"id":3,"method":"mining.submit","params":["test","${jobId}","cfae7df760"]}`);
    expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');

    const stats = engine.stats.snapshot();
    expect(stats.pool.accepted).toBe(1);
    expect(stats.pool.rejectedTotal).toBe(0);
    const [record] = shares.recent(1);
    expect(record).toMatchObject({ worker: 'test', jobId, verdict: 'accepted', height: HEIGHT });
    // the engine's unit has diff1 2^256; ES1's has 0xffff · 2^208: the spec's "share with difficulty of 1.863"
    expect(((record?.shareDifficulty ?? 0) * 0xffff) / 2 ** 48).toBeCloseTo(1.863, 3);
    expect(blocks).toEqual([]);
    expect(port.counters.dialects).toEqual({ es2: 0, es1: 1, ethproxy: 0, plain: 0 });
  }, 60_000);
});

describe('EthStratumPort taking the same share from an EthProxy miner (facts/ethash.md §1.1, §4.5)', () => {
  let engine: PoolEngine;
  let port: EthStratumPort;
  let miner: RawMiner;
  const shares = new MemoryShareStore();
  const blocks: string[] = [];

  beforeAll(async () => {
    const plugin = ethPlugin();
    engine = new PoolEngine({
      plugin,
      node: epoch50Node(blocks),
      coinConfig: { node: { url: 'http://127.0.0.1:1' } },
      shareStore: shares,
      sessionStore: new MemorySessionStore(),
    });
    await engine.start();
    port = new EthStratumPort(PORT_CONFIG, engine, plugin.diff1Target, silentLogger, false);
    miner = await RawMiner.open((await port.listen()).port);
  }, 60_000);

  afterAll(async () => {
    miner.close();
    port.closeAll('test over');
    await port.stopAccepting();
    await engine.stop();
  });

  it('checks the miner-chosen 8-byte nonce with its mix digest and credits it', async () => {
    miner.send('{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["0xb85150eb365e7df0941f0cf08235f987ba91506a"],"worker":"rig1"}');
    expect(await miner.next()).toBe('{"id":1,"jsonrpc":"2.0","result":true}');
    // target = 2^256 / (2^48 / 0xffff): ES1's 0x00000000ffff << 208 but for the double's rounding in the low digits
    const push = await miner.nextJson<{ result: string[] }>();
    expect(push).toEqual({
      id: 0,
      jsonrpc: '2.0',
      result: [`0x${HEADER_HASH}`, `0x${SEED_HASH}`, expect.stringMatching(/^0x00000000ffff000000000[0-9a-f]{43}$/), `0x${HEIGHT.toString(16)}`],
    });
    miner.send(`{"id":2,"jsonrpc":"2.0","method":"eth_submitWork","params":["0x${NONCE}","0x${HEADER_HASH}","0x${MIX}"],"worker":"rig1"}`);
    expect(await miner.next()).toBe('{"id":2,"jsonrpc":"2.0","result":true}');
    const [record] = shares.recent(1);
    expect(record).toMatchObject({ worker: '0xb85150eb365e7df0941f0cf08235f987ba91506a.rig1', verdict: 'accepted' });
    expect(((record?.shareDifficulty ?? 0) * 0xffff) / 2 ** 48).toBeCloseTo(1.863, 3);
    // another nonce with that mix digest fails the cheap check: no share
    miner.send(`{"id":3,"jsonrpc":"2.0","method":"eth_submitWork","params":["0xa2eea0cfae7df761","0x${HEADER_HASH}","0x${MIX}"],"worker":"rig1"}`);
    expect(await miner.nextJson()).toEqual({ id: 3, jsonrpc: '2.0', result: null, error: { code: 23, message: expect.any(String) } });
    miner.send(`{"id":4,"jsonrpc":"2.0","method":"eth_submitWork","params":["0x${NONCE}","0x${HEADER_HASH}","0x${MIX}"],"worker":"rig1"}`);
    expect(await miner.nextJson()).toEqual({ id: 4, jsonrpc: '2.0', result: null, error: { code: 22, message: expect.stringMatching(/^Duplicate share/) } });
    expect(engine.stats.snapshot().pool.accepted).toBe(1);
    expect(blocks).toEqual([]);
  }, 60_000);
});
