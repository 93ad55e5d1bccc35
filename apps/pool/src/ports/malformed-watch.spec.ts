import { classicCodec, createLinePair, eip1571Codec, RpcPeer, type Eip1571Params, type LineTransport } from '@lode/stratum-core';
import { MalformedWatch, type MalformedSeen } from './malformed-watch';

/** Lets every pending setImmediate run (the line pair delivers on one, the watch samples on the next). */
async function turns(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((done) => setImmediate(done));
}

describe('MalformedWatch', () => {
  let minerEnd: LineTransport;
  let poolEnd: LineTransport;
  let peer: RpcPeer;
  /** the dialect's malformed total the test makes the counters say */
  let total: number;
  let samples: number;
  let reports: number[];

  function watch(): MalformedWatch {
    [minerEnd, poolEnd] = createLinePair();
    peer = new RpcPeer(poolEnd, classicCodec);
    total = 0;
    samples = 0;
    reports = [];
    return new MalformedWatch(
      peer,
      () => {
        samples++;
        return total;
      },
      (n) => reports.push(n),
    );
  }

  afterEach(() => {
    minerEnd.close('test over');
    poolEnd.close('test over');
  });

  it('samples once after the messages of a turn and reports what grew', async () => {
    const w = watch();
    minerEnd.send('{"id":1,"method":"mining.subscribe","params":[]}');
    minerEnd.send('{"id":null,"method":"mining.suggest_difficulty","params":[1]}');
    minerEnd.send('{"id":2,"method":"mining.nope","params":[]}');
    total = 1;
    await turns();
    expect(samples).toBe(1);
    expect(reports).toEqual([1]);

    // a dip is never reported again, growth is reported as the difference
    total = 0;
    minerEnd.send('{"id":3,"method":"mining.nope","params":[]}');
    await turns();
    total = 3;
    minerEnd.send('{"id":4,"method":"mining.nope","params":[]}');
    await turns();
    expect(samples).toBe(3);
    expect(reports).toEqual([1, 2]);
    expect(w.seen.invalid).toBe(0);
  });

  it('counts invalid lines, those with an id, and the codes a codec suggests', async () => {
    const w = watch();
    minerEnd.send('not json');
    minerEnd.send('{"id":7,"method":5}');
    await turns();
    expect(w.seen).toEqual<MalformedSeen>({ invalid: 2, invalidWithId: 1, invalidAnsweredByCode: new Map(), rejectionsByCode: new Map() });

    // EIP-1571's codec suggests 400 for a malformed request (its id is read)
    const [miner2, pool2] = createLinePair();
    const es2 = new RpcPeer<Eip1571Params>(pool2, eip1571Codec);
    const w2 = new MalformedWatch(es2, () => 0, () => undefined);
    miner2.send('{"id":3,"method":5}');
    await turns();
    expect(w2.seen.invalid).toBe(1);
    expect(w2.seen.invalidWithId).toBe(1);
    expect(w2.seen.invalidAnsweredByCode).toEqual(new Map([[400, 1]]));
    miner2.close('test over');
    pool2.close('test over');
  });

  it('samples a last time on close and then hears nothing', async () => {
    const w = watch();
    minerEnd.send('not json');
    total = 2;
    // the close comes before the sample scheduled for the line
    minerEnd.close('bye');
    await turns();
    expect(peer.isClosed).toBe(true);
    expect(samples).toBe(1);
    expect(reports).toEqual([2]);
    expect(w.seen.invalid).toBe(1);
    w.stop();
    expect(samples).toBe(1);
  });

  it('stops for good when stopped before the close (idempotent)', async () => {
    const w = watch();
    total = 1;
    w.stop();
    w.stop();
    expect(reports).toEqual([1]);
    minerEnd.send('not json');
    minerEnd.send('{"id":1,"method":"mining.nope","params":[]}');
    total = 5;
    await turns();
    poolEnd.close('done');
    expect(samples).toBe(1);
    expect(reports).toEqual([1]);
    expect(w.seen.invalid).toBe(0);
  });

  it('stops at once on a peer closed already', () => {
    [minerEnd, poolEnd] = createLinePair();
    peer = new RpcPeer(poolEnd, classicCodec);
    peer.close('gone');
    const reported: number[] = [];
    const w = new MalformedWatch(peer, () => 4, (n) => reported.push(n));
    expect(reported).toEqual([4]);
    w.stop();
    expect(reported).toEqual([4]);
  });

  it('notes the share rejections the port answered', () => {
    const w = watch();
    w.noteRejection(20);
    w.noteRejection(20);
    w.noteRejection(400);
    expect(w.seen.rejectionsByCode).toEqual(new Map([[20, 2], [400, 1]]));
  });
});
