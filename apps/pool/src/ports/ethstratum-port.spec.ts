import { resolve } from 'node:path';
import { Container } from 'inversify';
import { BehaviorSubject } from 'rxjs';
import { discoverPlugins, loadPlugins, selectCoin, type CoinNode, type CoinPlugin, type CoinTemplate } from '@lode/plugin-api';
import { MemorySessionStore, MemoryShareStore, PoolEngine } from '@lode/pool-engine';
import { silentLogger } from '@lode/stratum-core';
import type { EthDialect } from '@lode/dialect-ethstratum';
import type { PortConfig } from '../config/pool-config';
import { RawMiner } from './eth-raw-miner.test-helper';
import { EthStratumPort } from './ethstratum-port';

/** Block 1: ethash epoch 0, whose seed hash is 32 zero bytes (facts/ethash.md §4.6). */
const HEIGHT = 1;
const SEED_HASH = '0'.repeat(64);
/** the seal hash of chfast/ethash's test cases (facts/ethash.md §4.1 style); any 32 bytes do here */
const HEADER_HASH = '2a8de2adf89af77358250bf908bf04ba94a6e8c3ba87775564a41d269a05e4ce';
/** share difficulty 2^32: target 2^256 / 2^32 = 2^224; in ES1 units 0xffff · 2^208 / 2^224 = 0xffff / 2^16 */
const DIFFICULTY = 2 ** 32;
const TARGET_HEX = '00000001' + '0'.repeat(56);
const ES1_DIFFICULTY = 0xffff / 2 ** 16;
const EXPECTED_FIRST = '; expected mining.hello, mining.subscribe or eth_submitLogin first';

function portConfig(dialects: EthDialect[]): PortConfig {
  return {
    name: `eth-${dialects.join('-')}`,
    host: '127.0.0.1',
    port: 0,
    coin: 'eth',
    dialect: 'ethstratum',
    ethstratum: {
      dialects,
      encoding: 'plain',
      resume: true,
      timeoutSeconds: 180,
      maxErrors: 5,
      hashrateMinIntervalSeconds: 10,
      hashrateNotifySeconds: 0,
    },
    difficulty: { initial: DIFFICULTY },
    versionRolling: { allowWithoutConfigure: false },
    maxLineBytes: 16384,
    idleTimeoutSeconds: 0,
  };
}

describe('EthStratumPort', () => {
  let engine: PoolEngine;
  let plugin: CoinPlugin;
  const ports: EthStratumPort[] = [];
  const miners: RawMiner[] = [];
  const engines: PoolEngine[] = [];

  const bound = new Map<EthStratumPort, Promise<{ port: number }>>();

  async function open(port: EthStratumPort): Promise<RawMiner> {
    if (!bound.has(port)) bound.set(port, port.listen());
    const miner = await RawMiner.open((await (bound.get(port) as Promise<{ port: number }>)).port);
    miners.push(miner);
    return miner;
  }

  /** an engine on the block-1 template, with the coin's `extranonceBytes` */
  async function startEngine(extranonceBytes: number): Promise<PoolEngine> {
    const template: CoinTemplate = {
      height: HEIGHT,
      prevHash: '0'.repeat(64),
      networkTarget: 1n,
      raw: { headerHash: HEADER_HASH, seedHash: SEED_HASH, boundary: '1'.padStart(64, '0'), height: HEIGHT },
    };
    const node: CoinNode = {
      templates$: new BehaviorSubject(template),
      start: async () => undefined,
      stop: async () => undefined,
      submitBlock: async () => ({ accepted: false, hash: '', reason: 'test node' }),
    };
    const started = new PoolEngine({
      plugin,
      node,
      coinConfig: { node: { url: 'http://127.0.0.1:1' }, extranonceBytes },
      shareStore: new MemoryShareStore(),
      sessionStore: new MemorySessionStore(),
    });
    await started.start();
    engines.push(started);
    return started;
  }

  function newPort(dialects: EthDialect[], on: PoolEngine = engine): EthStratumPort {
    const port = new EthStratumPort(portConfig(dialects), on, plugin.diff1Target, silentLogger, false);
    ports.push(port);
    return port;
  }

  beforeAll(async () => {
    const found = discoverPlugins({ from: resolve(__dirname, '../..'), plugins: ['@lode/coin-ethereum'] });
    plugin = selectCoin(loadPlugins(new Container(), found), 'eth');
    engine = await startEngine(2);
  }, 60_000);

  afterEach(() => {
    for (const m of miners.splice(0)) m.close();
  });

  afterAll(async () => {
    for (const p of ports) {
      p.closeAll('test over');
      await p.stopAccepting();
    }
    for (const e of engines) await e.stop();
  });

  describe('when one miner of each dialect connects to one port', () => {
    it('serves each its dialect: first reply, then a job', async () => {
      const port = newPort(['es2', 'es1', 'ethproxy', 'plain']);
      const [es2, es1, ethproxy, plain] = await Promise.all([open(port), open(port), open(port), open(port)]);

      // EthereumStratum/2.0.0 (EIP-1571): hello, subscribe, authorize, then mining.set + mining.notify
      es2.send('{"id":0,"method":"mining.hello","params":{"agent":"ethminer-0.19.0","host":"127.0.0.1","port":"d05","proto":"EthereumStratum/2.0.0"}}');
      expect(await es2.next()).toBe(
        '{"id":0,"result":{"proto":"EthereumStratum/2.0.0","encoding":"plain","resume":"1","timeout":"b4","maxerrors":"5","node":"Lode pool"}}',
      );
      es2.send('{"id":1,"method":"mining.subscribe"}');
      expect(await es2.nextJson()).toEqual({ id: 1, result: expect.stringMatching(/^[0-9a-f]{16}$/) });
      es2.send('{"id":2,"method":"mining.authorize","params":["0x00000000000000000000000000000000000000e2.rig1","x"]}');
      expect(await es2.nextJson()).toEqual({ id: 2, result: expect.any(String) });
      const set = await es2.nextJson<{ params: Record<string, string> }>();
      expect(set).toEqual({
        method: 'mining.set',
        params: { epoch: '0', target: TARGET_HEX.replace(/^0+/, ''), algo: 'ethash', extranonce: expect.stringMatching(/^[0-9a-f]{4}$/) },
      });
      const es2Notify = await es2.nextJson<{ params: string[] }>();
      expect(es2Notify).toEqual({ method: 'mining.notify', params: [expect.any(String), '1', HEADER_HASH, '1'] });

      // NiceHash EthereumStratum/1.0.0: subscribe, authorize, then set_difficulty + notify
      es1.send('{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}');
      const subscribed = await es1.nextJson<{ result: [unknown, string] }>();
      expect(subscribed).toEqual({
        id: 1,
        result: [['mining.notify', expect.any(String), 'EthereumStratum/1.0.0'], expect.stringMatching(/^[0-9a-f]{4}$/)],
        error: null,
      });
      expect(subscribed.result[1]).not.toBe(set.params['extranonce']);
      es1.send('{"id":2,"method":"mining.authorize","params":["rig-es1","x"]}');
      expect(await es1.next()).toBe('{"id":2,"result":true,"error":null}');
      const setDifficulty = await es1.nextJson<{ params: [number] }>();
      expect(setDifficulty).toEqual({ id: null, method: 'mining.set_difficulty', params: [expect.any(Number)] });
      expect(setDifficulty.params[0]).toBeCloseTo(ES1_DIFFICULTY, 12); // sent rounded to 15 digits
      expect(await es1.nextJson()).toEqual({ id: null, method: 'mining.notify', params: [es2Notify.params[0], SEED_HASH, HEADER_HASH, true] });

      // EthProxy: login, then the pushed work [header, seed, target, height]
      ethproxy.send('{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["0xb85150eb365e7df0941f0cf08235f987ba91506a"],"worker":"rig1"}');
      expect(await ethproxy.next()).toBe('{"id":1,"jsonrpc":"2.0","result":true}');
      expect(await ethproxy.next()).toBe(`{"id":0,"jsonrpc":"2.0","result":["0x${HEADER_HASH}","0x${SEED_HASH}","0x${TARGET_HEX}","0x1"]}`);

      // plain stratum (ethminer mode 0): subscribe, authorize, then notify [jobId, header, seed, target]
      plain.send('{"id":1,"jsonrpc":"2.0","method":"mining.subscribe","params":[]}');
      expect(await plain.next()).toBe('{"id":1,"result":true,"error":null}');
      plain.send('{"id":3,"jsonrpc":"2.0","method":"mining.authorize","params":["0xb85150eb365e7df0941f0cf08235f987ba91506a.rig2","x"]}');
      expect(await plain.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(await plain.nextJson()).toEqual({
        id: null,
        method: 'mining.notify',
        params: [es2Notify.params[0], `0x${HEADER_HASH}`, `0x${SEED_HASH}`, `0x${TARGET_HEX}`],
      });

      expect(port.counters.dialects).toEqual({ es2: 1, es1: 1, ethproxy: 1, plain: 1 });
      expect(port.counters.connectionsTotal).toBe(4);
    });
  });

  describe('when the first lines name no dialect', () => {
    it('answers each with error 20 in the Stratum triple and keeps waiting for a valid first line', async () => {
      const port = newPort(['es2', 'es1', 'ethproxy', 'plain']);
      const miner = await open(port);
      miner.send('{"id":7}');
      expect(await miner.next()).toBe(`{"id":7,"result":null,"error":[20,"the first message has no method${EXPECTED_FIRST}",null]}`);
      miner.send('{"id":8,"method":"mining.authorize","params":["rig","x"]}');
      expect(await miner.next()).toBe(`{"id":8,"result":null,"error":[20,"no Ethereum stratum dialect starts with \\"mining.authorize\\"${EXPECTED_FIRST}",null]}`);
      miner.send('{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}');
      expect(await miner.nextJson()).toMatchObject({ id: 1, result: [['mining.notify', expect.any(String), 'EthereumStratum/1.0.0'], expect.any(String)], error: null });
      expect(port.counters).toMatchObject({ undetectedLines: 2, refused: 0, dialects: { es2: 0, es1: 1, ethproxy: 0, plain: 0 } });
    });

    it('closes the connection after the third such line', async () => {
      const port = newPort(['es2', 'es1', 'ethproxy', 'plain']);
      const miner = await open(port);
      miner.send('GET / HTTP/1.1');
      expect(await miner.nextJson()).toEqual({ id: null, result: null, error: [20, expect.stringMatching(/^invalid JSON: .*; expected mining\.hello/), null] });
      expect(miner.isClosed).toBe(false);
      miner.send('[{"id":1,"method":"mining.subscribe"}]');
      expect(await miner.next()).toBe(`{"id":null,"result":null,"error":[20,"the message is a JSON array, expected a JSON object${EXPECTED_FIRST}",null]}`);
      miner.send('{"id":"x","method":"login","params":[]}');
      expect(await miner.next()).toBe(`{"id":"x","result":null,"error":[20,"no Ethereum stratum dialect starts with \\"login\\"${EXPECTED_FIRST}",null]}`);
      await miner.closed;
      expect(port.counters).toMatchObject({ undetectedLines: 3, refused: 1 });
    });
  });

  describe('when the pool moves the extranonces', () => {
    it('sends ES1 miners that asked for it mining.set_extranonce before the next job, and closes the others', async () => {
      const port = newPort(['es1']);
      const [subscribedMiner, plainEs1] = await Promise.all([open(port), open(port)]);
      const start = async (miner: RawMiner, extranonceSubscribe: boolean): Promise<string> => {
        miner.send('{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}');
        const extranonce = (await miner.nextJson<{ result: [unknown, string] }>()).result[1];
        if (extranonceSubscribe) {
          miner.send('{"id":2,"method":"mining.extranonce.subscribe","params":[]}');
          expect(await miner.next()).toBe('{"id":2,"result":true,"error":null}');
        }
        miner.send('{"id":3,"method":"mining.authorize","params":["rig","x"]}');
        expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
        expect(await miner.nextJson()).toMatchObject({ method: 'mining.set_difficulty' });
        expect(await miner.nextJson()).toMatchObject({ method: 'mining.notify' });
        return extranonce;
      };
      const before = await start(subscribedMiner, true);
      await start(plainEs1, false);

      expect(port.moveExtranonces()).toEqual({ moved: 1, reconnected: 1 });
      const setExtranonce = await subscribedMiner.nextJson<{ params: [string] }>();
      expect(setExtranonce).toEqual({ id: null, method: 'mining.set_extranonce', params: [expect.stringMatching(/^[0-9a-f]{4}$/)] });
      expect(setExtranonce.params[0]).not.toBe(before);
      expect(await subscribedMiner.nextJson()).toEqual({ id: null, method: 'mining.notify', params: [expect.any(String), SEED_HASH, HEADER_HASH, true] });
      await plainEs1.closed;
    });
  });

  describe('when the coin\'s extranonce is longer than EthereumStratum/1.0.0 allows', () => {
    it('refuses ES1 miners at subscribe and closes, while EthProxy miners are served', async () => {
      const port = newPort(['es1', 'ethproxy'], await startEngine(4));
      const [es1, ethproxy] = await Promise.all([open(port), open(port)]);
      es1.send('{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}');
      // the first ES1 miner reveals the size at subscribe: closed without a reply (logged at error)
      await es1.closed;
      expect(es1.lines).toEqual([]);
      expect(port.counters).toMatchObject({ refused: 1, dialects: { es1: 1 } });
      // the next ones are refused at their first line, with the reason
      const next = await open(port);
      next.send('{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}');
      expect(await next.next()).toBe(
        '{"id":1,"result":null,"error":[20,"EthereumStratum/1.0.0 allows an extranonce of at most 3 bytes and this pool\'s is 4 (coins.<coin>.extranonceBytes); connect with another dialect",null]}',
      );
      await next.closed;
      expect(port.counters).toMatchObject({ refused: 2, dialects: { es1: 1 } });
      ethproxy.send('{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["0xb85150eb365e7df0941f0cf08235f987ba91506a"]}');
      expect(await ethproxy.next()).toBe('{"id":1,"jsonrpc":"2.0","result":true}');
      expect(await ethproxy.nextJson()).toMatchObject({ id: 0, result: [`0x${HEADER_HASH}`, `0x${SEED_HASH}`, `0x${TARGET_HEX}`, '0x1'] });
    });
  });

  describe('when the port offers only EthereumStratum/2.0.0', () => {
    it('refuses an EthereumStratum/1.0.0 subscribe naming the offered dialect, and closes', async () => {
      const port = newPort(['es2']);
      const miner = await open(port);
      miner.send('{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}');
      expect(await miner.next()).toBe(
        '{"id":1,"result":null,"error":[20,"EthereumStratum/1.0.0 (es1) is not served on this port; it serves EthereumStratum/2.0.0 (es2)",null]}',
      );
      await miner.closed;
      expect(port.counters).toMatchObject({ refused: 1, dialects: { es2: 0, es1: 0, ethproxy: 0, plain: 0 } });
    });
  });
});
