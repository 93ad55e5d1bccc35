import { connect, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { Container } from 'inversify';
import { BehaviorSubject } from 'rxjs';
import { discoverPlugins, loadPlugins, selectCoin, type CoinNode, type CoinPlugin, type CoinTemplate } from '@lode/plugin-api';
import { MemorySessionStore, MemoryShareStore, PoolEngine } from '@lode/pool-engine';
import { silentLogger } from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import { WarthogPort } from './warthog-port';

/**
 * facts/warthog.md §6-H: the template behind the synthetic job (block
 * 1949766's prevHash, target, version and ntime, with the §6-C case-1
 * body: one reward to account 0x12345).
 */
const TEMPLATE_HEADER =
  '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7087fbfd76206b3f2dc885bbf747c4891ad60073248af4a5c809268d0502d3bb40000000366f2fefb00000000';
const TEMPLATE_BODY = '0000000000000000000000000000000000012345' + '0000000011e1a300';
const MERKLE_PREFIX = '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc';
const ADDRESS = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093';

class RawMiner {
  private buffer = '';
  readonly lines: string[] = [];
  private wake?: () => void;
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, i));
        this.buffer = this.buffer.slice(i + 1);
        this.wake?.();
      }
    });
  }
  static open(port: number): Promise<RawMiner> {
    return new Promise((done) => {
      const socket = connect({ host: '127.0.0.1', port }, () => done(new RawMiner(socket)));
    });
  }
  send(line: string): void {
    this.socket.write(`${line}\n`);
  }
  /** the next line not read yet */
  async next(): Promise<string> {
    while (this.lines.length === 0) await new Promise<void>((r) => (this.wake = r));
    return this.lines.shift() as string;
  }
  close(): void {
    this.socket.destroy();
  }
}

describe('WarthogPort replaying the stratum session of facts/warthog.md §6-H', () => {
  let engine: PoolEngine;
  let port: WarthogPort;
  let miner: RawMiner;
  const submitted: string[] = [];

  beforeAll(async () => {
    // The plugin is discovered at run time, as the pool does (apps never import plugins).
    const container = new Container();
    const found = discoverPlugins({ from: resolve(__dirname, '../..'), plugins: ['@lode/coin-warthog'] });
    const plugin: CoinPlugin = selectCoin(loadPlugins(container, found), 'wart');
    const template: CoinTemplate = {
      height: 1949766,
      prevHash: TEMPLATE_HEADER.slice(0, 64),
      // TargetV2 0ae7cde7: bits22 0x27cde7 * 2^(234 - 43), the exact consensus target in 2^256 units (§3.1)
      networkTarget: 0x27cde7n << 191n,
      raw: { header: TEMPLATE_HEADER, body: TEMPLATE_BODY, merklePrefix: MERKLE_PREFIX, difficulty: 14142941042437.885, height: 1949766 },
    };
    const node: CoinNode = {
      templates$: new BehaviorSubject(template),
      start: async () => undefined,
      stop: async () => undefined,
      submitBlock: async (block) => {
        submitted.push(block);
        return { accepted: false, hash: '', reason: 'test node' };
      },
    };
    engine = new PoolEngine({
      plugin,
      node,
      coinConfig: { node: { url: 'http://127.0.0.1:1' }, payoutAddress: ADDRESS },
      shareStore: new MemoryShareStore(),
      sessionStore: new MemorySessionStore(),
      // extranonce1 00000001, as in the transcript (a 4-byte prefix leaves exactly one value)
      options: { instancePrefix: Buffer.from('00000001', 'hex') },
    });
    await engine.start();
    const config: PortConfig = {
      name: 'wart',
      host: '127.0.0.1',
      port: 0,
      coin: 'wart',
      dialect: 'warthog',
      difficulty: { initial: 500000 },
      versionRolling: { allowWithoutConfigure: false },
      maxLineBytes: 16384,
      idleTimeoutSeconds: 0,
    };
    port = new WarthogPort(config, engine, silentLogger, false);
    miner = await RawMiner.open((await port.listen()).port);
  });

  afterAll(async () => {
    miner.close();
    port.closeAll('test over');
    await port.stopAccepting();
    await engine.stop();
  });

  it('answers every line as the transcript says: the share 00002df1 accepted, 00000456 and 0000cb8e (Y < c) low difficulty', async () => {
    miner.send('{"id":1,"method":"mining.subscribe","params":["janusminer/0.0.1"]}');
    const subscribed = JSON.parse(await miner.next()) as { result: [[[string, string]], string, number] };
    expect(subscribed).toEqual({ id: 1, result: [[['mining.notify', expect.any(String)]], '00000001', 6], error: null });

    miner.send(`{"id":2,"method":"mining.authorize","params":["${ADDRESS}.rig1","x"]}`);
    expect(await miner.next()).toBe('{"id":2,"result":true,"error":null}');
    expect(await miner.next()).toBe('{"id":null,"method":"mining.set_difficulty","params":[500000]}');
    const notify = JSON.parse(await miner.next()) as { params: unknown[] };
    const jobId = notify.params[0] as string;
    expect(notify).toEqual({
      id: null,
      method: 'mining.notify',
      params: [jobId, TEMPLATE_HEADER.slice(0, 64), MERKLE_PREFIX, '00000003', '0ae7cde7', '66f2fefb', true],
    });

    miner.send(`{"id":3,"method":"mining.submit","params":["${jobId}","000000000002","66f2fefb","00002df1"]}`);
    expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
    miner.send(`{"id":4,"method":"mining.submit","params":["${jobId}","000000000002","66f2fefb","00000456"]}`);
    expect(JSON.parse(await miner.next())).toEqual({ id: 4, result: null, error: [23, expect.stringContaining('below the required 500000'), null] });
    miner.send(`{"id":5,"method":"mining.submit","params":["${jobId}","000000000002","66f2fefb","0000cb8e"]}`);
    // sha256t < c: never a share, at any difficulty (the Janus6-style clamp would credit it up to ~725k)
    expect(JSON.parse(await miner.next())).toEqual({ id: 5, result: null, error: [23, expect.any(String), null] });
    expect(submitted).toEqual([]);
    const stats = engine.stats.snapshot();
    expect(stats.pool.accepted).toBe(1);
    expect(stats.pool.creditedDifficulty).toBe(500000);
  });
});
