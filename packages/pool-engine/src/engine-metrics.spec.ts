import type { EngineMetrics } from './engine-metrics';
import { EngineHarness, lastJob, submitNonce } from './testing/engine-harness';
import { fakeTemplate, flush } from './testing/fake-coin';

/** An EngineMetrics that keeps every call, in order. */
function recorder(): { metrics: Required<EngineMetrics>; calls: [string, ...unknown[]][] } {
  const calls: [string, ...unknown[]][] = [];
  const at =
    (name: string) =>
    (...args: unknown[]): void => {
      calls.push([name, ...args]);
    };
  const metrics: Required<EngineMetrics> = {
    sessionOpened: at('sessionOpened'),
    sessionSubscribed: at('sessionSubscribed'),
    sessionClosed: at('sessionClosed'),
    shareJudged: at('shareJudged'),
    jobFannedOut: at('jobFannedOut'),
    difficultyChanged: at('difficultyChanged'),
    blockSubmitted: at('blockSubmitted'),
    nodeCall: at('nodeCall'),
  };
  return { metrics, calls };
}

function named(calls: [string, ...unknown[]][], name: string): unknown[][] {
  return calls.filter((c) => c[0] === name).map((c) => c.slice(1));
}

describe('EngineMetrics', () => {
  it('is told of sessions, verdicts with their reasons, fan-outs, difficulty changes, blocks and node calls', async () => {
    const { metrics, calls } = recorder();
    const h = new EngineHarness({}, undefined, { metrics });
    await h.engine.start();
    h.node.push(fakeTemplate(1, 'aa', 10));
    const { session, events } = await h.miner('w1', { dialect: 'bitcoin' });
    const job = lastJob(events);
    // nonce N is a share of difficulty N (FakeCoinPlugin); the network difficulty is 10
    expect(await submitNonce(session, job, 2)).toMatchObject({ accepted: true, block: false });
    expect(await submitNonce(session, job, 2)).toMatchObject({ accepted: false, reason: 'duplicate' });
    expect(await submitNonce(session, job, 50, { extranonce2: Buffer.from('00000002', 'hex') })).toMatchObject({ block: true });
    expect(session.suggestDifficulty(4)).toBe(4);
    await h.engine.stop();
    await flush();

    expect(named(calls, 'sessionOpened')).toEqual([['bitcoin']]);
    expect(named(calls, 'sessionSubscribed')).toEqual([['bitcoin', 'test/1']]);
    expect(named(calls, 'sessionClosed')).toEqual([['bitcoin', 'test/1']]);
    const judged = named(calls, 'shareJudged');
    expect(judged.map(([verdict, reason]) => [verdict, reason])).toEqual([
      ['accepted', 'none'],
      ['rejected', 'duplicate'],
      ['accepted', 'none'],
    ]);
    for (const [, , seconds] of judged) expect(seconds).toBeGreaterThanOrEqual(0);
    const fanned = named(calls, 'jobFannedOut');
    expect(fanned).toHaveLength(1);
    expect(fanned[0][1]).toBe(0); // no session yet when the first job was made
    expect(fanned[0][2]).toBe(true);
    expect(named(calls, 'difficultyChanged')).toEqual([[1, 4]]);
    expect(named(calls, 'blockSubmitted')).toEqual([['accepted', 1]]);
    expect(named(calls, 'nodeCall').map(([method, , ok]) => [method, ok])).toEqual([
      ['start', true],
      ['submitBlock', true],
      ['stop', true],
    ]);
    for (const [, seconds] of named(calls, 'nodeCall')) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('keeps judging shares when an observer throws', async () => {
    const h = new EngineHarness({}, undefined, {
      metrics: {
        shareJudged: () => {
          throw new Error('broken metrics');
        },
      },
    });
    await h.engine.start();
    h.node.push(fakeTemplate(1, 'aa', 10));
    const { session, events } = await h.miner();
    expect(await submitNonce(session, lastJob(events), 2)).toMatchObject({ accepted: true });
    await h.engine.stop();
  });
});
