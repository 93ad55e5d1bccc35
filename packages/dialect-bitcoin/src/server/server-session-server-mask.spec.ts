import type { ShareVerdict } from '@lode/mining';
import { classicCodec, createLinePair, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo, LineTransport } from '@lode/stratum-core';
import type { SubmitRequest } from '../messages';
import type { BitcoinServerHandler, BitcoinServerSessionOptions } from './server-handler';
import { BitcoinServerSession } from './server-session';

/*
 * BitcoinServerSession.setServerMask: a proxy changes the BIP 310 server
 * mask of a live connection (its upstream sent mining.set_version_mask).
 * Expected masks are worked out by hand in the comments
 * (specs/002_b8c80480aecfabab.txt: the result mask is server & miner; set_version_mask is valid at once).
 */

/** The miner's end of the wire: raw lines out, raw lines in. */
class LineProbe {
  private readonly buffered: string[] = [];
  private readonly waiters: Array<(line: string) => void> = [];
  closeInfo: CloseInfo | undefined;

  constructor(private readonly transport: LineTransport) {
    transport.lines$.subscribe((line) => {
      const w = this.waiters.shift();
      if (w) w(line);
      else this.buffered.push(line);
    });
    transport.closed$.subscribe((info) => {
      this.closeInfo = info;
    });
  }

  send(message: string): void {
    this.transport.send(message);
  }

  next(): Promise<string> {
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Sends a ping and returns every line that arrived before its reply. */
  async drainWithPing(id: number): Promise<string[]> {
    this.send(`{"id":${id},"method":"mining.ping","params":[]}`);
    const before: string[] = [];
    for (;;) {
      const line = await this.next();
      if (line === `{"id":${id},"result":"pong","error":null}`) return before;
      before.push(line);
    }
  }

  close(): void {
    this.transport.close('test over');
  }
}

const ACCEPTED: ShareVerdict = { accepted: true, difficulty: 1, shareDifficulty: 2, block: false, hash: '00'.repeat(32) };

function pool(submits: SubmitRequest[]): BitcoinServerHandler {
  return {
    subscribe: async () => ({ extranonce1: Buffer.from('08000002', 'hex'), extranonce2Size: 4, sessionId: 's1' }),
    authorize: async () => true,
    submit: async (req) => {
      submits.push(req);
      return ACCEPTED;
    },
  };
}

const probes: LineProbe[] = [];

function setup(options: BitcoinServerSessionOptions) {
  const [minerEnd, poolEnd] = createLinePair();
  const submits: SubmitRequest[] = [];
  const session = new BitcoinServerSession(new RpcPeer(poolEnd, classicCodec), pool(submits), options);
  const miner = new LineProbe(minerEnd);
  probes.push(miner);
  return { session, miner, submits };
}

function configure(id: number, minerMask: string): string {
  return `{"id":${id},"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"${minerMask}"}]}`;
}

function configured(id: number, mask: string): string {
  return `{"id":${id},"result":{"version-rolling":true,"version-rolling.mask":"${mask}"},"error":null}`;
}

async function subscribeAndAuthorize(miner: LineProbe): Promise<void> {
  miner.send('{"id":10,"method":"mining.subscribe","params":["bitaxe/BM1366/v2.4.0"]}');
  await miner.next();
  miner.send('{"id":11,"method":"mining.authorize","params":["alice.rig1","x"]}');
  expect(await miner.next()).toBe('{"id":11,"result":true,"error":null}');
}

afterEach(() => {
  for (const p of probes.splice(0)) p.close();
});

describe('BitcoinServerSession.setServerMask', () => {
  describe('when version rolling was negotiated', () => {
    it('tells the miner the new intersection at once and checks submits against it', async () => {
      const { session, miner, submits } = setup({ versionRolling: { serverMask: 0x1fffe000 } });
      // ffffffff & 1fffe000 = 1fffe000
      miner.send(configure(1, 'ffffffff'));
      expect(await miner.next()).toBe(configured(1, '1fffe000'));
      await subscribeAndAuthorize(miner);

      // the upstream narrowed its mask to 00ffe000: ffffffff & 00ffe000 = 00ffe000
      session.setServerMask(0x00ffe000);
      expect(await miner.drainWithPing(2)).toEqual(['{"id":null,"method":"mining.set_version_mask","params":["00ffe000"]}']);
      expect(session.versionMask).toBe(0x00ffe000);

      // bit 28 (10000000) was allowed before and is not now
      miner.send('{"id":3,"method":"mining.submit","params":["alice.rig1","j1","00000001","4dd7f5c7","9546a142","10000000"]}');
      expect(await miner.next()).toBe('{"id":3,"result":null,"error":[20,"version bits 10000000 fall outside the mask 00ffe000",null]}');
      miner.send('{"id":4,"method":"mining.submit","params":["alice.rig1","j1","00000001","4dd7f5c7","9546a142","00002000"]}');
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      expect(submits.map((s) => [s.versionBits, s.versionMask])).toEqual([[0x00002000, 0x00ffe000]]);
    });

    it('intersects with what the miner asked for, so a wider server mask gives its bits back', async () => {
      const { session, miner } = setup({ versionRolling: { serverMask: 0x1fffe000 } });
      // Antminer S9 asks 00c00000 (bits 22, 23): 00c00000 & 1fffe000 = 00c00000
      miner.send(configure(1, '00c00000'));
      expect(await miner.next()).toBe(configured(1, '00c00000'));
      await subscribeAndAuthorize(miner);
      // 00c00000 & 1fffffe0 = 00c00000: nothing changes for the miner, nothing is sent
      session.setServerMask(0x1fffffe0);
      // 00c00000 & 00400000 = 00400000
      session.setServerMask(0x00400000);
      // 00c00000 & 1fffe000 = 00c00000 again: bit 23 comes back
      session.setServerMask(0x1fffe000);
      expect(await miner.drainWithPing(2)).toEqual([
        '{"id":null,"method":"mining.set_version_mask","params":["00400000"]}',
        '{"id":null,"method":"mining.set_version_mask","params":["00c00000"]}',
      ]);
    });

    it('stops version rolling with mask 00000000 when the server mask becomes 0', async () => {
      const { session, miner } = setup({ versionRolling: { serverMask: 0x1fffe000 } });
      miner.send(configure(1, 'ffffffff'));
      await miner.next();
      await subscribeAndAuthorize(miner);
      session.setServerMask(0);
      expect(await miner.drainWithPing(2)).toEqual(['{"id":null,"method":"mining.set_version_mask","params":["00000000"]}']);
      miner.send('{"id":3,"method":"mining.submit","params":["alice.rig1","j1","00000001","4dd7f5c7","9546a142","00002000"]}');
      expect(await miner.next()).toBe('{"id":3,"result":null,"error":[20,"version bits 00002000 fall outside the mask 00000000",null]}');
    });
  });

  describe('when the miner has not configured yet', () => {
    it('sends nothing and answers a later mining.configure with the new mask', async () => {
      const { session, miner } = setup({ versionRolling: { serverMask: 0x1fffe000 } });
      session.setServerMask(0x00ffe000);
      // ffffffff & 00ffe000 = 00ffe000
      miner.send(configure(1, 'ffffffff'));
      expect(await miner.next()).toBe(configured(1, '00ffe000'));
    });

    it('creates the policy on a port that had none', async () => {
      const { session, miner } = setup({});
      session.setServerMask(0x1fffe000);
      miner.send(configure(1, 'ffffffff'));
      expect(await miner.next()).toBe(configured(1, '1fffe000'));
    });
  });

  describe('when the mask is not a uint32', () => {
    it('throws LodeError(config) and keeps the old mask', async () => {
      const { session, miner } = setup({ versionRolling: { serverMask: 0x1fffe000 } });
      for (const bad of [-1, 0x100000000, 1.5, Number.NaN]) {
        let thrown: unknown;
        try {
          session.setServerMask(bad);
        } catch (e) {
          thrown = e;
        }
        expect(LodeError.is(thrown, 'config')).toBe(true);
      }
      miner.send(configure(1, 'ffffffff'));
      expect(await miner.next()).toBe(configured(1, '1fffe000'));
    });
  });
});
