import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { DEVNET_PAYOUT_ADDRESS, entryPoints } from './support/paths';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';
import { makeCa, makeLeaf, type PemPair } from './support/tls-ca';

/** What a TLS client verifying against `caFile` gets from 127.0.0.1:`port`: the certificate's fingerprint, or the error code. */
async function verifyWith(port: number, caFile: string): Promise<{ fingerprint256: string } | { error: string }> {
  const socket = tls.connect({ host: '127.0.0.1', port, ca: readFileSync(caFile) });
  try {
    return await new Promise((done) => {
      socket.once('secureConnect', () => done({ fingerprint256: socket.getPeerCertificate().fingerprint256 }));
      socket.once('error', (err: NodeJS.ErrnoException) => done({ error: err.code ?? err.message }));
    });
  } finally {
    socket.destroy();
  }
}

/**
 * TLS from certificate files, swapped on disk while the pool runs (issue 10:
 * "a miner connecting with stratum+ssl://, a certificate swapped on disk and
 * picked up"): devnet, pool and miners as processes on loopback. Two CAs;
 * the pool starts with a leaf of CA1, the files are overwritten with a leaf of
 * CA2, and only new connections see it.
 */
describe('TLS certificate reload end to end (devnet, pool and miners as processes on loopback)', () => {
  let dir: string;
  let ca1: PemPair;
  let ca2: PemPair;
  let leaf1: PemPair;
  let leaf2: PemPair;
  const live = { certFile: '', keyFile: '' };
  let devnet: LoggedProcess;
  let pool: LoggedProcess;
  let miner1: LoggedProcess;
  let miner2: LoggedProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-tls-'));
    ca1 = makeCa(dir, 'ca1');
    ca2 = makeCa(dir, 'ca2');
    leaf1 = makeLeaf(dir, 'leaf1', ca1);
    leaf2 = makeLeaf(dir, 'leaf2', ca2);
    live.certFile = join(dir, 'pool-cert.pem');
    live.keyFile = join(dir, 'pool-key.pem');
    copyFileSync(leaf1.certFile, live.certFile);
    copyFileSync(leaf1.keyFile, live.keyFile);

    devnet = spawnLogged('devnet', entryPoints.devnet, ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
    const config = {
      plugins: ['@lode/coin-bitcoin'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 5 },
      coins: {
        btc: {
          node: { url: `http://127.0.0.1:${rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 },
          payoutAddress: DEVNET_PAYOUT_ADDRESS,
          network: 'regtest',
          coinbaseTag: '/Lode e2e/',
        },
      },
      ports: [
        {
          name: 'ssl',
          host: '127.0.0.1',
          port: 0,
          coin: 'btc',
          difficulty: { initial: 0.001 },
          tls: { certFile: live.certFile, keyFile: live.keyFile, watchIntervalSeconds: 0.2 },
        },
      ],
      shutdownGraceSeconds: 2,
    };
    const configFile = join(dir, 'pool.json');
    writeFileSync(configFile, JSON.stringify(config));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', configFile, '--json']);
    const line = await pool.waitFor(/pool listening/, 60000);
    const url = (JSON.parse(line) as { url: string }).url;
    expect(url).toMatch(/^stratum\+tls:\/\/127\.0\.0\.1:\d+$|^stratum\+ssl:\/\/127\.0\.0\.1:\d+$/);
    port = Number(url.split(':').pop());
  });

  afterAll(async () => {
    await Promise.all([miner2, miner1, pool, devnet].filter(Boolean).map((p) => (p as LoggedProcess).stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves leaf1: a miner trusting CA1 over stratum+ssl gets accepted shares; a client trusting only CA2 is refused', async () => {
    await expect(verifyWith(port, ca1.certFile)).resolves.toEqual({ fingerprint256: leaf1.fingerprint256 });
    await expect(verifyWith(port, ca2.certFile)).resolves.toEqual({ error: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/) });
    miner1 = spawnLogged('miner1', entryPoints.miner, [
      '--url', `stratum+ssl://127.0.0.1:${port}`, '--tls-ca', ca1.certFile, '--user', 'e2e.one', '--threads', '1', '--stats-interval', '5',
    ]);
    await miner1.waitFor(/share accepted/, 90000);
    await pool.waitFor(/share accepted/, 10000);
  });

  it('picks up leaf2 written over the files: new connections verify with CA2 only, the open connection keeps mining', async () => {
    const loaded = pool.lines.find((l) => l.includes('TLS certificate loaded'));
    expect(loaded).toBeDefined();
    expect(JSON.parse(loaded as string)).toMatchObject({ fingerprint256: leaf1.fingerprint256 });

    copyFileSync(leaf2.certFile, live.certFile);
    copyFileSync(leaf2.keyFile, live.keyFile);
    const reloaded = await pool.waitFor(/TLS certificate reloaded/, 30000);
    expect(JSON.parse(reloaded)).toMatchObject({ fingerprint256: leaf2.fingerprint256, subject: 'CN=lode e2e leaf2', issuer: 'CN=Lode e2e ca2' });

    await expect(verifyWith(port, ca2.certFile)).resolves.toEqual({ fingerprint256: leaf2.fingerprint256 });
    await expect(verifyWith(port, ca1.certFile)).resolves.toEqual({ error: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/) });

    const before = miner1.count(/share accepted/);
    miner2 = spawnLogged('miner2', entryPoints.miner, [
      '--url', `stratum+ssl://127.0.0.1:${port}`, '--tls-ca', ca2.certFile, '--user', 'e2e.two', '--threads', '1', '--stats-interval', '5',
    ]);
    await miner2.waitFor(/share accepted/, 90000);
    await pool.waitFor(/"e2e\.two".*share accepted|share accepted.*"e2e\.two"/, 10000);

    // The first miner's TLS session predates the swap: it is not disturbed.
    const deadline = Date.now() + 60000;
    while (miner1.count(/share accepted/) <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(miner1.count(/share accepted/)).toBeGreaterThan(before);
    expect(miner1.count(/reconnect|disconnected/i)).toBe(0);
  });
});
