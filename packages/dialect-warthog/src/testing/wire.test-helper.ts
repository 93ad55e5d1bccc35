import type { CloseInfo, LineTransport } from '@lode/stratum-core';
import type { WarthogNotifyParams } from '../messages';

/**
 * One end of the wire, seen as raw lines, so the format is asserted literally.
 */
export class LineProbe {
  private readonly buffered: string[] = [];
  private readonly waiters: Array<{ resolve(line: string): void; reject(e: Error): void }> = [];
  closeInfo: CloseInfo | undefined;

  constructor(private readonly transport: LineTransport) {
    transport.lines$.subscribe((line) => {
      const w = this.waiters.shift();
      if (w) w.resolve(line);
      else this.buffered.push(line);
    });
    transport.closed$.subscribe((info) => {
      this.closeInfo = info;
      for (const w of this.waiters.splice(0)) w.reject(new Error(`closed: ${info.reason}`));
    });
  }

  send(message: string | object): void {
    this.transport.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  next(): Promise<string> {
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closeInfo) return Promise.reject(new Error(`closed: ${this.closeInfo.reason}`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async nextJson(): Promise<{ id: unknown; result?: unknown; error?: unknown; method?: string; params?: unknown[] }> {
    return JSON.parse(await this.next());
  }

  /**
   * Sends a request for a method no Warthog session knows and returns every
   * line that arrived before its -32601 reply (which is consumed): once it is
   * back, everything sent before it has been handled.
   */
  async barrier(id = 900): Promise<string[]> {
    this.send({ id, method: 'lode.barrier', params: [] });
    const reply = `{"id":${id},"result":null,"error":[-32601,"unknown method 'lode.barrier'",null]}`;
    const before: string[] = [];
    for (;;) {
      const line = await this.next();
      if (line === reply) return before;
      before.push(line);
    }
  }

  close(): void {
    this.transport.close('test over');
  }
}

/*
 * The synthetic session of facts/warthog.md §6-H, copied verbatim (the
 * abbreviated job id of requests 4 and 5 written out in full). The job is
 * block 1949766's prevHash, nbits, version and ntime with the 6-C case-1
 * merkle prefix; extranonce1 00000001, extranonce2 000000000002.
 */
export const H6_JOB_ID = '195376b1b447d59c316400e809d29a67eaeec334c6c2b58baae2b91e203e1895';
export const H6_WORKER = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093.rig1';
export const H6_JOB: WarthogNotifyParams = {
  jobId: H6_JOB_ID,
  prevHash: '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a2',
  merklePrefix: '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
  version: 3,
  nbits: 0x0ae7cde7,
  ntime: 0x66f2fefb,
  clean: true,
};
export const H6 = {
  subscribe: '{"id":1,"method":"mining.subscribe","params":["janusminer/0.0.1"]}',
  subscribeReply: '{"id":1,"result":[[["mining.notify","00000001"]],"00000001",6],"error":null}',
  authorize: `{"id":2,"method":"mining.authorize","params":["${H6_WORKER}","x"]}`,
  authorizeReply: '{"id":2,"result":true,"error":null}',
  setDifficulty: '{"id":null,"method":"mining.set_difficulty","params":[500000]}',
  notify: `{"id":null,"method":"mining.notify","params":["${H6_JOB_ID}","05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a2","33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc","00000003","0ae7cde7","66f2fefb",true]}`,
  submit3: `{"id":3,"method":"mining.submit","params":["${H6_JOB_ID}","000000000002","66f2fefb","00002df1"]}`,
  submit3Reply: '{"id":3,"result":true,"error":null}',
  submit4: `{"id":4,"method":"mining.submit","params":["${H6_JOB_ID}","000000000002","66f2fefb","00000456"]}`,
  submit4Reply: '{"id":4,"result":null,"error":[23,"low difficulty share",null]}',
  submit5: `{"id":5,"method":"mining.submit","params":["${H6_JOB_ID}","000000000002","66f2fefb","0000cb8e"]}`,
  submit5Reply: '{"id":5,"result":null,"error":[23,"low difficulty share",null]}',
} as const;

/**
 * The verdicts §6-H gives, by nonce (uint32): 00002df1 is a share at
 * D = 500000 (J 1.56e-6 < 1/500000); 00000456 is not (J 1.42e-5); 0000cb8e
 * has sha256t below c = 0.005 and is refused at any difficulty. The
 * rejections carry no message of their own, so the reply shows the table's
 * standard text.
 */
export const H6_ACCEPTED_NONCES: ReadonlySet<number> = new Set([0x00002df1]);
