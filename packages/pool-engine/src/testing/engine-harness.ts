import type { ShareVerdict } from '@lode/mining';
import type { CoinJob } from '@lode/plugin-api';
import type { LodeLogger } from '@lode/stratum-core';
import { PoolEngine } from '../pool-engine';
import type { PoolEngineConfig } from '../pool-engine-config';
import type { PoolEngineOptions } from '../pool-engine-options';
import type { CreateSessionOptions } from '../sessions/create-session-options';
import type { MinerSession } from '../sessions/miner-session';
import type { SessionEvent } from '../sessions/session-event';
import { MemorySessionStore } from '../stores/memory-session-store';
import { MemoryShareStore } from '../stores/memory-share-store';
import type { ShareStore } from '../stores/share-store';
import { FakeCoinPlugin, FakeNode, flush } from './fake-coin';

/** Ports a test may share between two harnesses ("two instances in one process"). */
export type HarnessPorts = Pick<PoolEngineConfig, 'instanceId' | 'duplicateIndex' | 'extranonceLeases' | 'metrics'> & {
  sessionStore?: MemorySessionStore;
  /** the clock, shared by instances of one test (default: this harness's `now`) */
  clock?: () => number;
};

/** Test scaffolding: an engine on the fake coin with a settable clock. */
export class EngineHarness {
  readonly plugin = new FakeCoinPlugin();
  readonly node = new FakeNode();
  readonly shares = new MemoryShareStore();
  readonly sessions: MemorySessionStore;
  readonly engine: PoolEngine;
  now = 1_700_000_000_000;

  readonly logs: { level: string; msg: string; obj: object }[] = [];

  constructor(options: PoolEngineOptions = {}, shareStore?: ShareStore, ports: HarnessPorts = {}) {
    const clock = ports.clock ?? ((): number => this.now);
    this.sessions = ports.sessionStore ?? new MemorySessionStore({ now: clock });
    this.engine = new PoolEngine({
      plugin: this.plugin,
      node: this.node,
      coinConfig: {},
      shareStore: shareStore ?? this.shares,
      sessionStore: this.sessions,
      ...(ports.instanceId === undefined ? {} : { instanceId: ports.instanceId }),
      ...(ports.duplicateIndex === undefined ? {} : { duplicateIndex: ports.duplicateIndex }),
      ...(ports.extranonceLeases === undefined ? {} : { extranonceLeases: ports.extranonceLeases }),
      ...(ports.metrics === undefined ? {} : { metrics: ports.metrics }),
      options: { maintenanceIntervalMs: 3_600_000, ...options },
      clock,
      logger: recordingLogger(this.logs),
    });
  }

  /** A session subscribed and authorized as `worker`, its events collected, the first job received. */
  async miner(
    worker = 'w1',
    options: Partial<CreateSessionOptions> = {},
  ): Promise<{ session: MinerSession; events: SessionEvent[]; extranonce1: Buffer }> {
    const session = this.engine.createSession({ remoteAddress: '127.0.0.1:40000', port: 3333, initialDifficulty: 1, ...options });
    const events: SessionEvent[] = [];
    session.events$.subscribe((e) => events.push(e));
    const { extranonce1 } = await session.subscribe({ userAgent: 'test/1' });
    expect(await session.authorize({ workerName: worker, password: 'x' })).toBe(true);
    await flush();
    return { session, events, extranonce1 };
  }
}

/** A logger that keeps every line in `logs`. */
export function recordingLogger(logs: { level: string; msg: string; obj: object }[]): LodeLogger {
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      logs.push({ level, msg: msg ?? '', obj });
    };
  const logger: LodeLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

/** The jobs among `events`, in order. */
export function jobsOf(events: SessionEvent[]): { job: CoinJob; clean: boolean; difficulty: number }[] {
  return events.flatMap((e) => (e.type === 'job' ? [e] : []));
}

/** The last job `events` carry. */
export function lastJob(events: SessionEvent[]): CoinJob {
  const jobs = jobsOf(events);
  return jobs[jobs.length - 1].job;
}

/** A submit of a share whose difficulty is `nonce` (see FakeCoinPlugin) on `job`. */
export function submitNonce(
  session: MinerSession,
  job: CoinJob,
  nonce: number,
  extra: { worker?: string; extranonce2?: Buffer; ntime?: number; versionBits?: number; versionMask?: number } = {},
): Promise<ShareVerdict> {
  return session.submit({
    workerName: extra.worker ?? 'w1',
    jobId: job.id,
    extranonce2: extra.extranonce2 ?? Buffer.from('00000001', 'hex'),
    ntime: extra.ntime ?? job.ntimeMin,
    nonce,
    ...(extra.versionBits === undefined ? {} : { versionBits: extra.versionBits }),
    ...(extra.versionMask === undefined ? {} : { versionMask: extra.versionMask }),
  });
}
