import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineClient } from './support/line-client';
import { DEVNET_PAYOUT_ADDRESS, entryPoints } from './support/paths';
import { listeningPorts } from './support/pool-config';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

/** PROXY protocol v1 header (HAProxy proxy-protocol.txt §2.1). */
const proxyV1 = (src: string, srcPort: number): string => `PROXY TCP4 ${src} 127.0.0.1 ${srcPort} 3333\r\n`;

/** PROXY protocol v2 header, TCP over IPv4 (proxy-protocol.txt §2.2). */
function proxyV2(src: string, srcPort: number): Buffer {
  return Buffer.concat([
    Buffer.from('0d0a0d0a000d0a515549540a', 'hex'),
    Buffer.from([0x21, 0x11, 0x00, 0x0c, ...src.split('.').map(Number), 127, 0, 0, 1, srcPort >> 8, srcPort & 0xff, 0x0d, 0x05]),
  ]);
}

describe('pool protection through the real pool (issue 10): PROXY protocol, bans, logs', () => {
  let dir: string;
  let devnet: LoggedProcess;
  let pool: LoggedProcess;
  let ports: Record<string, number>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-protection-'));
    devnet = spawnLogged('devnet', entryPoints.devnet, ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
    const file = join(dir, 'pool.json');
    writeFileSync(
      file,
      JSON.stringify({
        plugins: ['@lode/coin-bitcoin'],
        log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 0 },
        coins: {
          btc: { node: { url: `http://127.0.0.1:${rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 }, payoutAddress: DEVNET_PAYOUT_ADDRESS, network: 'regtest' },
        },
        ports: [
          { name: 'v1', host: '127.0.0.1', port: 0, coin: 'btc', proxyProtocol: 'v1', difficulty: { initial: 0.000001 } },
          { name: 'v2', host: '127.0.0.1', port: 0, coin: 'btc', proxyProtocol: 'v2', difficulty: { initial: 0.000001 } },
        ],
        shutdownGraceSeconds: 1,
        protection: { allowList: [], malformedMessages: { max: 2, windowSeconds: 60, banSeconds: 600 } },
      }),
    );
    pool = spawnLogged('pool', entryPoints.pool, ['--config', file, '--json']);
    await pool.waitFor(/pool listening.*"v2"|"v2".*pool listening/, 60000);
    ports = listeningPorts(pool.lines);
  });

  afterAll(async () => {
    await Promise.all([pool, devnet].filter((p): p is LoggedProcess => p !== undefined).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['v1', '203.0.113.7', (src: string, port: number) => proxyV1(src, port)],
    ['v2', '203.0.113.9', (src: string, port: number) => proxyV2(src, port)],
  ] as const)('PROXY %s: logs the header source, bans it on all ports, and refuses it on connect', async (name, source, header) => {
    const client = await LineClient.open('127.0.0.1', ports[name] as number);
    client.send(header(source, 40000));
    client.sendJson({ id: 1, method: 'mining.subscribe', params: ['e2e/1'] });
    expect((await client.reply(1)).reply['error']).toBeNull();
    const subscribed = JSON.parse(await pool.waitFor(new RegExp(`miner subscribed.*${source.replace(/\./g, '\\.')}|${source.replace(/\./g, '\\.')}.*miner subscribed`), 10000)) as { remote: string };
    expect(subscribed.remote).toBe(`${source}:40000`);

    for (let i = 0; i < 3; i++) client.send('not json\n');
    while ((await client.next()) !== undefined);
    const banned = JSON.parse(await pool.waitFor(new RegExp(`address banned.*${source.replace(/\./g, '\\.')}|${source.replace(/\./g, '\\.')}.*address banned`), 10000)) as Record<string, unknown>;
    expect(banned).toMatchObject({ address: source, rule: 'malformed-messages', reason: 'more than 2 malformed messages in 60 s', until: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    // the ban holds on the other port too, and the proxy's own address is not banned
    const other = name === 'v1' ? 'v2' : 'v1';
    const again = await LineClient.open('127.0.0.1', ports[other] as number);
    again.send(other === 'v1' ? proxyV1(source, 40001) : proxyV2(source, 40001));
    expect(await again.next()).toBeUndefined();
    const refused = JSON.parse(await pool.waitFor(new RegExp(`connection refused.*${source.replace(/\./g, '\\.')}:40001|${source.replace(/\./g, '\\.')}:40001.*connection refused`), 10000)) as Record<string, unknown>;
    expect(refused).toMatchObject({ kind: 'admit', reason: expect.stringMatching(/^banned until .*malformed-messages/) });

    const neighbour = await LineClient.open('127.0.0.1', ports[name] as number);
    neighbour.send(header('198.51.100.20', 40002));
    neighbour.sendJson({ id: 1, method: 'mining.subscribe', params: ['e2e/1'] });
    expect((await neighbour.reply(1)).reply['error']).toBeNull();
    neighbour.socket.destroy();
  });
});
