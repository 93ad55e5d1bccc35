import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { targetFromDifficulty } from '@lode/mining';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { UpstreamJob } from '../core/upstream-link';
import { bitcoinPlugin } from '../testing/bitcoin-plugin';
import { eventually } from '../testing/eventually';
import { FakeBitcoinPool } from '../testing/fake-bitcoin-pool';
import { BitcoinUpstreamLink } from './bitcoin-upstream-link';

const plugin = bitcoinPlugin();
const pools: FakeBitcoinPool[] = [];
const links: BitcoinUpstreamLink[] = [];

afterEach(async () => {
  for (const l of links.splice(0)) l.close('test over');
  for (const p of pools.splice(0)) await p.stop();
});

async function pool(options: { refuseUser?: string; tls?: { cert: Buffer; key: Buffer } } = {}): Promise<FakeBitcoinPool> {
  const p = await FakeBitcoinPool.start({ plugin, extranonce2Size: 8, difficulty: 2 ** -16, ...options });
  pools.push(p);
  return p;
}

async function open(p: FakeBitcoinPool, user = 'proxy.main', tls?: { rejectUnauthorized?: boolean; ca?: Buffer }): Promise<BitcoinUpstreamLink> {
  const link = await BitcoinUpstreamLink.open(
    { name: 'primary', url: p.url, user, password: 'x', ...(tls === undefined ? {} : { tls }) },
    { diff1Target: plugin.diff1Target, connectTimeoutMs: 2000, userAgent: 'lode-proxy/test', logger: silentLogger },
  );
  links.push(link);
  return link;
}

function collect(link: BitcoinUpstreamLink): UpstreamJob[] {
  const jobs: UpstreamJob[] = [];
  link.jobs$.subscribe((j) => jobs.push(j));
  return jobs;
}

describe('BitcoinUpstreamLink', () => {
  describe('when it opens', () => {
    it('negotiates the widest version mask, subscribes, authorizes and has the first job', async () => {
      const p = await pool();
      const link = await open(p);
      expect(link.extranonce1.toString('hex')).toBe('a0000001');
      expect(link.extranonce2Size).toBe(8);
      // ffffffff asked, the pool's 1fffe000 answered
      expect(link.versionMask).toBe(0x1fffe000);
      expect(p.connections[0].workers).toEqual(['proxy.main']);
      const jobs = collect(link);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        jobId: 'j1',
        clean: true,
        // the BIP 34 push in coinb1
        height: 840000,
        target: targetFromDifficulty(2 ** -16, plugin.diff1Target),
        work: { dialect: 'bitcoin', version: 0x20000000, nbits: 0x207fffff },
      });
    });

    it('throws LodeError(connection) when the pool refuses the user or cannot be reached', async () => {
      const p = await pool({ refuseUser: 'nobody' });
      await expect(open(p, 'nobody')).rejects.toThrow('upstream primary refused user nobody');
      const port = p.port;
      await p.stop();
      const refused = BitcoinUpstreamLink.open(
        { name: 'primary', url: `stratum+tcp://127.0.0.1:${port}`, user: 'u', password: 'x' },
        { diff1Target: plugin.diff1Target, connectTimeoutMs: 2000, userAgent: 't', logger: silentLogger },
      );
      const error = await refused.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(LodeError.is(error, 'connection')).toBe(true);
    });
  });

  describe('when the upstream speaks TLS (stratum+tls) with a self-signed certificate', () => {
    const fixtures = join(__dirname, '../../../../packages/stratum-core/src/testing/fixtures');
    const cert = readFileSync(join(fixtures, 'localhost-cert.pem'));
    const key = readFileSync(join(fixtures, 'localhost-key.pem'));

    it('refuses it by default, naming the verification failure, and mines with it when told to accept it', async () => {
      const p = await pool({ tls: { cert, key } });
      expect(p.url).toMatch(/^stratum\+tls:\/\//);
      const refused = await open(p).catch((e: unknown) => e);
      expect(LodeError.is(refused, 'connection')).toBe(true);
      expect((refused as Error).message).toMatch(/SELF_SIGNED|self.signed|DEPTH_ZERO/i);
      const link = await open(p, 'proxy.main', { rejectUnauthorized: false });
      expect(link.extranonce2Size).toBe(8);
      expect(collect(link)).toHaveLength(1);
    });
  });

  describe('when the pool changes the difficulty', () => {
    it('binds each job to the difficulty in force when it arrived', async () => {
      const p = await pool();
      const link = await open(p);
      const jobs = collect(link);
      p.setDifficulty(2 ** -10);
      p.nextJob(false);
      await eventually(() => jobs.length === 2, 'the second job');
      expect(jobs.map((j) => [j.jobId, j.clean, j.target])).toEqual([
        ['j1', true, targetFromDifficulty(2 ** -16, plugin.diff1Target)],
        ['j2', false, targetFromDifficulty(2 ** -10, plugin.diff1Target)],
      ]);
    });
  });

  describe('when the pool sends set_version_mask and set_extranonce', () => {
    it('passes them on', async () => {
      const p = await pool();
      const link = await open(p);
      const masks: number[] = [];
      const moves: string[] = [];
      link.versionMask$.subscribe((m) => masks.push(m));
      link.extranonce$.subscribe((u) => moves.push(`${u.extranonce1.toString('hex')}/${u.extranonce2Size}`));
      p.setVersionMask(p.connections[0], 0x00ffe000);
      await eventually(() => masks.length === 1, 'the version mask');
      // ffffffff & 00ffe000
      expect(masks).toEqual([0x00ffe000]);
      expect(link.versionMask).toBe(0x00ffe000);
      expect(p.setExtranonce(p.connections[0], Buffer.from('c0ffee01', 'hex'), 6)).toBe(true);
      await eventually(() => moves.length === 1, 'the extranonce');
      expect(moves).toEqual(['c0ffee01/6']);
      expect([link.extranonce1.toString('hex'), link.extranonce2Size]).toEqual(['c0ffee01', 6]);
    });
  });

  describe('when it forwards shares', () => {
    it('answers accepted, or refused with the pool\'s code and message, and fails once closed', async () => {
      const p = await pool();
      const link = await open(p);
      const refused = await link.submit({ jobId: 'j1', extranonce2: Buffer.alloc(8), ntime: p.connections.length, nonce: 1 });
      expect(refused.accepted).toBe(false);
      expect(refused.reason).toMatch(/^23 /);
      expect(p.shares).toHaveLength(1);
      expect(p.shares[0]).toMatchObject({ worker: 'proxy.main', jobId: 'j1', extranonce2: '0000000000000000', nonce: 1, accepted: false });
      const unknown = await link.submit({ jobId: 'nope', extranonce2: Buffer.alloc(8), ntime: 1, nonce: 1 });
      expect(unknown).toEqual({ accepted: false, reason: '20 job nope not found' });
      // a worker passed through must be authorized on the link first
      const stranger = await link.submit({ jobId: 'j1', extranonce2: Buffer.alloc(8), ntime: 1, nonce: 1, workerName: 'alice.rig1' });
      expect(stranger).toEqual({ accepted: false, reason: "24 worker 'alice.rig1' is not authorized on this connection" });
      expect(await link.authorizeWorker('alice.rig1', 'x')).toBe(true);
      expect(p.connections[0].workers).toEqual(['proxy.main', 'alice.rig1']);
      link.close('done');
      await expect(link.submit({ jobId: 'j1', extranonce2: Buffer.alloc(8), ntime: 1, nonce: 2 })).rejects.toThrow('upstream primary is closed: done');
    });
  });

  describe('when the pool asks to reconnect', () => {
    it('closes the link', async () => {
      const p = await pool();
      const link = await open(p);
      const closed: string[] = [];
      link.closed$.subscribe((r) => closed.push(r));
      p.connections[0].session.reconnect();
      await eventually(() => closed.length === 1, 'the close');
      expect(closed).toEqual(['upstream sent client.reconnect']);
    });
  });
});
