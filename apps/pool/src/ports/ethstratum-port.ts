import type { Observable } from 'rxjs';
import {
  ClassicErrorCodes,
  detectEthDialect,
  ES1_MAX_EXTRANONCE_BYTES,
  ethCodecFor,
  ETH_DIALECT_NAMES,
  ETH_DIALECTS,
  ETH_FIRST_METHODS,
  EthStratumServerSession,
  type EthClassicDialect,
  type EthClassicServerJob,
  type EthClassicServerHandler,
  type EthClassicServerSession,
  type EthDialect,
  type EthServerJob,
  type EthStratumServerHandler,
} from '@lode/dialect-ethstratum';
import { targetFromDifficulty, type ShareVerdict } from '@lode/mining';
import type { MinerSession, PoolEngine, SubmitRequest } from '@lode/pool-engine';
import {
  classicCodec,
  lazyChildLogger,
  LodeError,
  RpcPeer,
  SniffingTransport,
  StratumServer,
  type LodeLogger,
  type RefusedConnection,
  type RpcId,
  type StratumConnection,
} from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import { PortProtection, type ConnectionGuard, type PortOptions } from './port-protection';
import { stratumServerOptions } from './server-options';
import { sessionOptionsFor } from './session-options';
import type { ExtranonceMoveReport, PortCounters } from './bitcoin-port';
import { createClassicServerSession } from './eth-classic-sessions';
import type { StratumPort } from './stratum-port';

/** The hello reply's `node` when the config names none. */
const DEFAULT_NODE = 'Lode pool';
/** Worker hashrates are read from a stats snapshot at most this old, ms. */
const SNAPSHOT_MAX_AGE_MS = 5000;
/** First lines no dialect starts with that a connection may send before it is closed. */
export const MAX_UNDETECTED_LINES = 3;

/** Why an ES1 miner is refused when the coin's extranonce is longer than the spec allows. */
function es1TooLong(extranonceBytes: number): string {
  return (
    `EthereumStratum/1.0.0 allows an extranonce of at most ${ES1_MAX_EXTRANONCE_BYTES} bytes and this pool's is ${extranonceBytes}` +
    ` (coins.<coin>.extranonceBytes); connect with another dialect`
  );
}

/** The counters of an {@link EthStratumPort}: the port's, plus per-dialect detection. */
export interface EthPortCounters extends PortCounters {
  /** connections handed to each dialect's session */
  dialects: Record<EthDialect, number>;
  /** first lines no dialect starts with (each answered with error 20) */
  undetectedLines: number;
  /**
   * connections closed by the port before a session served them: a dialect
   * not offered, 3 undetected lines, or ES1 with an extranonce over 3 bytes
   */
  refused: number;
}

interface LiveBase {
  session: MinerSession;
  /** counts the connection's shares, malformed messages and refused authorisations (bans, reject escalation) */
  guard: ConnectionGuard;
  /** the extranonce the session's next jobs carry (ES2 mining.set, ES1 subscribe reply / set_extranonce), raw bytes */
  extranonce: Buffer | undefined;
  accepted: number;
  stale: number;
  rejected: number;
}

type Live =
  | (LiveBase & { kind: 'es2'; dialect: EthStratumServerSession; lastJob: EthServerJob | undefined })
  | (LiveBase & { kind: EthClassicDialect; dialect: EthClassicServerSession; lastJob: EthClassicServerJob | undefined });

/** A bind address that names no host a miner could be sent back to. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * One listening Ethereum port serving the dialects of `ethstratum.dialects`
 * (default all four; docs/ethstratum.md "One port, four dialects"): each
 * connection is wrapped in a SniffingTransport and its first line decides
 * (detectEthDialect, facts/ethash.md §7.2): `mining.hello` -> EthereumStratum/2.0.0
 * (specs/003_fafafa51dc5fa36a.txt), `mining.subscribe` with
 * "EthereumStratum/1.0.0" -> ES1, `eth_*` -> EthProxy, any other
 * `mining.subscribe` -> plain stratum. The connection then becomes an RpcPeer
 * with that dialect's codec (ethCodecFor), the dialect-ethstratum server
 * session and an engine MinerSession, glued here.
 *
 * - A first line no dialect starts with gets the Stratum v1 error triple
 *   `{"id":<id>,"result":null,"error":[20,"<reason>; expected mining.hello,
 *   mining.subscribe or eth_submitLogin first",null]}` and the port waits for
 *   the next line; after 3 such lines it closes the connection. A dialect the
 *   port does not offer gets the same kind of reply naming the offered ones,
 *   then the connection closes.
 *
 * EthereumStratum/2.0.0:
 * - The session's extranonce1 is the `mining.set` extranonce (the coin sets
 *   its size, CoinPlugin.extranonceSizes); the miner's nonce suffix is the
 *   share's extranonce2, so the engine rebuilds the 8-byte nonce.
 * - Each job goes out with the target of the difficulty the engine recorded
 *   for it (DESIGN.md "Difficulty belongs to the job"): the dialect sends a
 *   `mining.set` with whatever changed, then the `mining.notify`, so a new
 *   target applies to the next job exactly as the spec says.
 * - Accepted-stale shares (engine acceptStaleHeights) are answered 202.
 * - `mining.bye` abandons the session (no resume); any other close keeps it
 *   for resume (MinerSession.close).
 * - Every `hashrateNotifySeconds` each session gets the server's
 *   `mining.hashrate` notification: the summed hashrate of its workers over
 *   the engine's stats window, and its accepted/stale/rejected counts.
 *
 * EthereumStratum/1.0.0, EthProxy and plain stratum (facts/ethash.md §1.1,
 * §1.2, §1.4; EthClassicServerSession):
 * - ES1 sends the session's extranonce1 as its extranonce (at most 3 bytes:
 *   with a coin `extranonceBytes` over 3 the port refuses ES1 miners at
 *   subscribe, logged); the miner nonce is the share's extranonce2.
 * - EthProxy and plain miners choose the whole 8-byte nonce: the share goes
 *   to the engine with an empty `extranonce1` override and the miner's mix
 *   digest as its `seal` (checked cheaply first by the coin).
 * - Each job carries the target of its difficulty (ES1 converts it to its
 *   own difficulty unit), the seed hash, and the algo (etchash travels as a
 *   top-level `"algo"` member, docs/ethstratum.md "ETChash").
 * - These dialects cannot resume: a closed session releases its extranonce1.
 *
 * Protection (issue 10; PortProtection): banned addresses are refused on
 * connect; share verdicts, refused authorisations and malformed messages
 * (first lines no dialect starts with; then what the dialect session reports
 * to its handler's `malformed`: invalid lines, unknown methods, wrong params) count
 * against the connection's address. ckpool's reject escalation re-sends the
 * current job with clean true; its reconnect step is ES2's `mining.reconnect`
 * to `publicHost` (or the port's host when not a wildcard) and this port,
 * and the session closes a second later; without such a host, and on ES1,
 * EthProxy and plain stratum, whose dialect-ethstratum sessions have no
 * reconnect message, the reconnect step drops the connection instead.
 */
export class EthStratumPort implements StratumPort {
  private readonly server: StratumServer;
  private readonly protection: PortProtection;
  /** the port actually bound (config.port may be 0), for mining.reconnect */
  private boundPort: number | undefined;
  private readonly live = new Set<Live>();
  private readonly hashrateTimer: NodeJS.Timeout | undefined;
  private readonly settings: NonNullable<PortConfig['ethstratum']>;
  /** the coin's extranonce size in bytes, learnt from the first subscribe (ES1 allows at most 3) */
  private extranonceBytes: number | undefined;
  private snapshot: { time: number; windowSeconds: number; byWorker: Map<string, number> } | undefined;
  readonly counters: EthPortCounters = {
    connectionsTotal: 0,
    sharesAccepted: 0,
    sharesRejected: 0,
    dialects: { es2: 0, es1: 0, ethproxy: 0, plain: 0 },
    undetectedLines: 0,
    refused: 0,
  };

  /**
   * @param diff1Target the coin's difficulty-1 target (ethash: 2^256), to turn job difficulties into mining.set targets
   * @throws LodeError('config') when the port's dialect is not ethstratum
   */
  constructor(
    readonly config: PortConfig,
    private readonly engine: PoolEngine,
    private readonly diff1Target: bigint,
    private readonly logger: LodeLogger,
    private readonly logShares: boolean,
    options: PortOptions = {},
  ) {
    if (config.dialect !== 'ethstratum' || config.ethstratum === undefined) {
      throw new LodeError('config', `port ${config.name} speaks ${config.dialect}, not ethstratum (or has no ethstratum section)`);
    }
    this.settings = config.ethstratum;
    this.protection = new PortProtection(options.protection ?? {}, logger);
    // The dialect enforces the hello reply's `timeout`; the idle timeout is the socket's backstop.
    const idleTimeoutMs = Math.max(config.idleTimeoutSeconds, config.ethstratum.timeoutSeconds + 30) * 1000;
    this.server = new StratumServer(stratumServerOptions(config, options, this.protection.admit, idleTimeoutMs), logger);
    this.server.connections$.subscribe((conn) => this.accept(conn));
    const every = this.settings.hashrateNotifySeconds;
    this.hashrateTimer = every > 0 ? setInterval(() => this.notifyHashrates(), every * 1000).unref() : undefined;
  }

  async listen(): Promise<{ host: string; port: number }> {
    const address = await this.server.listen();
    this.boundPort = address.port;
    return address;
  }

  /** Connections the server refused before a session (PROXY header, limits, bans), with why. */
  get refused$(): Observable<RefusedConnection> {
    return this.server.refused$;
  }

  stopAccepting(): Promise<void> {
    return this.server.stopAccepting();
  }

  closeAll(reason: string): void {
    this.dispose();
    this.server.closeAll(reason);
  }

  dispose(): void {
    if (this.hashrateTimer !== undefined) clearInterval(this.hashrateTimer);
    this.protection.dispose();
  }

  get connectionCount(): number {
    return this.server.connectionCount;
  }

  /** the dialects this port serves, in ETH_DIALECTS order */
  get dialects(): readonly EthDialect[] {
    return ETH_DIALECTS.filter((d) => this.settings.dialects.includes(d));
  }

  /**
   * Moves every subscribed session to a new extranonce1; the engine re-sends
   * a clean job carrying it.
   *
   * - ES2: EIP-1571 makes the extranonce subscription implicit, so every
   *   miner gets the new value in the `mining.set` before that job (moved).
   * - ES1: the session sends `mining.set_extranonce` before that job when the
   *   miner sent `mining.extranonce.subscribe` (moved), and closes the
   *   connection otherwise, so that the miner reconnects (reconnected).
   * - EthProxy and plain: the miner chooses the whole nonce, so the new value
   *   stays in the engine and the miner sees nothing (moved).
   */
  moveExtranonces(): ExtranonceMoveReport {
    const report: ExtranonceMoveReport = { moved: 0, reconnected: 0 };
    for (const entry of this.live) {
      if (entry.extranonce === undefined || entry.session.closed) continue;
      entry.extranonce = entry.session.reassignExtranonce1().extranonce1;
      if (entry.kind === 'es1' && (entry.dialect.counters.requests['mining.extranonce.subscribe'] ?? 0) === 0) report.reconnected++;
      else report.moved++;
    }
    return report;
  }

  /** Sniffs the first lines of a connection until one names an offered dialect (see the class comment). */
  private accept(conn: StratumConnection): void {
    this.counters.connectionsTotal++;
    const log = lazyChildLogger(this.logger, { conn: conn.id, remote: `${conn.remoteAddress}:${conn.remotePort}` });
    const sniffer = new SniffingTransport(conn);
    const guard = this.protection.guard(conn.remoteAddress, log, (reason) => sniffer.close(reason));
    // Until a session takes the connection over, its close ends the guard here.
    const unguarded = conn.closed$.subscribe(() => guard.closed());
    let undetected = 0;
    const refuse = (id: RpcId, message: string): void => {
      sniffer.send(classicCodec.encodeError(id, { code: ClassicErrorCodes.OTHER, message }));
    };
    const sniffing = sniffer.sniffed$.subscribe((line) => {
      const detection = detectEthDialect(line);
      if ('error' in detection) {
        undetected++;
        this.counters.undetectedLines++;
        guard.malformed({ kind: detection.kind, reason: detection.error });
        log.debug({ reason: detection.error, lines: undetected }, 'first line names no Ethereum stratum dialect');
        refuse(detection.id, `${detection.error}; expected ${ETH_FIRST_METHODS} first`);
        if (undetected >= MAX_UNDETECTED_LINES) {
          this.counters.refused++;
          log.info({ lines: undetected }, 'no Ethereum stratum dialect; closing');
          sniffer.close(`no Ethereum stratum dialect after ${MAX_UNDETECTED_LINES} lines`);
        }
        return;
      }
      const { dialect, method } = detection;
      if (!this.settings.dialects.includes(dialect)) {
        this.counters.refused++;
        const offered = this.dialects.map((d) => `${ETH_DIALECT_NAMES[d]} (${d})`).join(', ');
        log.info({ dialect, method, offered: this.dialects }, 'dialect not offered on this port; closing');
        const id = (JSON.parse(line) as { id?: unknown }).id;
        refuse(typeof id === 'number' || typeof id === 'string' ? id : null, `${ETH_DIALECT_NAMES[dialect]} (${dialect}) is not served on this port; it serves ${offered}`);
        sniffer.close(`dialect ${dialect} not offered`);
        return;
      }
      const extranonceBytes = this.extranonceBytes;
      if (dialect === 'es1' && extranonceBytes !== undefined && extranonceBytes > ES1_MAX_EXTRANONCE_BYTES) {
        this.counters.refused++;
        log.info({ dialect, method, extranonceBytes }, 'EthereumStratum/1.0.0 refused: the extranonce is too long; closing');
        const id = (JSON.parse(line) as { id?: unknown }).id;
        refuse(typeof id === 'number' || typeof id === 'string' ? id : null, es1TooLong(extranonceBytes));
        sniffer.close(`dialect ${dialect} refused: extranonce of ${extranonceBytes} bytes`);
        return;
      }
      sniffing.unsubscribe();
      unguarded.unsubscribe();
      this.counters.dialects[dialect]++;
      log.info({ dialect, method }, 'dialect detected');
      sniffer.handOver(line);
      // The peer and its session are built now, synchronously: the sniffer replays the first line one microtask later.
      if (dialect === 'es2') this.startEs2(sniffer, conn, log, guard);
      else this.startClassic(dialect, sniffer, conn, log, guard);
    });
  }

  /** EthereumStratum/2.0.0 on a connection whose first line was a `mining.hello`. */
  private startEs2(transport: SniffingTransport, conn: StratumConnection, log: LodeLogger, guard: ConnectionGuard): void {
    const { codec, peerOptions } = ethCodecFor('es2');
    const peer = new RpcPeer(transport, codec, { ...peerOptions, logger: log });
    const ethstratum = this.settings;
    const session = this.engine.createSession(sessionOptionsFor(this.config, conn.remoteAddress));
    const handler: EthStratumServerHandler = {
      subscribe: async (req) => {
        const result = await session.subscribe(req);
        this.extranonceBytes = result.extranonce1.length;
        entry.extranonce = result.extranonce1;
        const resumed = req.sessionId !== undefined && req.sessionId === result.sessionId;
        log.info(
          { userAgent: req.userAgent ?? '', extranonce: result.extranonce1.toString('hex'), sessionId: result.sessionId, resumed },
          resumed ? 'miner resumed its session' : 'miner subscribed',
        );
        return { sessionId: result.sessionId, extranonce: result.extranonce1, workers: [...session.authorizedWorkers], resumed };
      },
      authorize: (req) => this.authorizeWorker(session, guard, log, req),
      submit: async (req) => {
        return this.submitShare(entry, log, { workerName: req.workerName, jobId: req.jobId, extranonce2: req.minerNonce });
      },
      hashrate: (req) => {
        log.debug({ worker: req.workerName, hashrate: req.hashrate.toString() }, 'miner reported its hashrate');
        const ours = this.workerHashrates().get(req.workerName);
        return ours === undefined ? undefined : BigInt(Math.round(ours));
      },
      malformed: (message) => guard.malformed(message),
      closed: (info) => {
        this.live.delete(entry);
        guard.closed();
        void session.close({ abandon: info.bye });
        log.info({ reason: info.reason, byPeer: info.byPeer, bye: info.bye }, 'miner disconnected');
      },
    };
    const dialect = new EthStratumServerSession(peer, handler, {
      node: ethstratum.node ?? DEFAULT_NODE,
      encoding: ethstratum.encoding,
      resume: ethstratum.resume,
      timeoutSeconds: ethstratum.timeoutSeconds,
      maxErrors: ethstratum.maxErrors,
      hashrateMinIntervalMs: ethstratum.hashrateMinIntervalSeconds * 1000,
      logger: log,
    });
    const entry: Live & { kind: 'es2' } = {
      kind: 'es2',
      session,
      dialect,
      guard,
      lastJob: undefined,
      extranonce: undefined,
      accepted: 0,
      stale: 0,
      rejected: 0,
    };
    this.live.add(entry);
    const reconnectHost = this.config.publicHost ?? (WILDCARD_HOSTS.has(this.config.host) ? undefined : this.config.host);
    guard.attach({
      resendWork: () => {
        if (entry.lastJob === undefined) return false;
        dialect.sendJob({ ...entry.lastJob, clean: true });
        return true;
      },
      // mining.reconnect names a host; without one a miner cannot be sent back here
      reconnect: () => {
        const port = this.boundPort ?? this.config.port;
        if (reconnectHost === undefined || port === 0) return false;
        dialect.reconnect({ host: reconnectHost, port, resume: ethstratum.resume });
        return true;
      },
      drop: (reason) => dialect.close(reason),
    });
    session.onEvent((event) => {
      if (event.type !== 'job') return; // a new difficulty travels with the next job's mining.set
      const work = event.job.work;
      if (work.dialect !== 'ethstratum') {
        log.error({ coin: event.job.coin, dialect: work.dialect }, 'the coin produces work an ethstratum port cannot send; closing');
        peer.close(`coin ${event.job.coin} produces ${work.dialect} work`);
        return;
      }
      entry.lastJob = {
        jobId: event.job.id,
        height: event.job.height,
        headerHash: work.headerHash,
        clean: event.clean,
        epoch: work.epoch,
        algo: work.algo,
        target: targetFromDifficulty(event.difficulty, this.diff1Target),
        extranonce: entry.extranonce ?? Buffer.alloc(0),
      };
      dialect.sendJob(entry.lastJob);
    });
  }

  /**
   * EthereumStratum/1.0.0, EthProxy or plain stratum on a connection whose
   * first line named it, glued to an engine MinerSession.
   */
  private startClassic(kind: EthClassicDialect, transport: SniffingTransport, conn: StratumConnection, log: LodeLogger, guard: ConnectionGuard): void {
    const { codec, peerOptions } = ethCodecFor(kind);
    const peer = new RpcPeer(transport, codec, { ...peerOptions, logger: log });
    const session = this.engine.createSession(sessionOptionsFor(this.config, conn.remoteAddress));
    const handler: EthClassicServerHandler = {
      subscribe: async (req) => {
        const result = await session.subscribe(req.userAgent === '' ? {} : { userAgent: req.userAgent });
        this.extranonceBytes = result.extranonce1.length;
        if (kind === 'es1' && result.extranonce1.length > ES1_MAX_EXTRANONCE_BYTES) {
          this.counters.refused++;
          const reason = es1TooLong(result.extranonce1.length);
          log.error({ extranonceBytes: result.extranonce1.length }, `${reason}: refusing ES1 miners on this port`);
          dialect.close(reason);
          throw new LodeError('config', reason);
        }
        entry.extranonce = result.extranonce1;
        log.info(
          { dialect: kind, userAgent: req.userAgent, extranonce: result.extranonce1.toString('hex'), sessionId: result.sessionId },
          'miner subscribed',
        );
        return { sessionId: result.sessionId, extranonce: result.extranonce1 };
      },
      authorize: (req) => this.authorizeWorker(session, guard, log, req),
      submit: async (req) => {
        return this.submitShare(entry, log, {
          workerName: req.workerName,
          jobId: req.jobId,
          extranonce2: req.minerNonce,
          // EthProxy and plain: the miner chose all 8 nonce bytes and sent its mix digest
          ...(kind === 'es1' ? {} : { extranonce1: Buffer.alloc(0), ...(req.mixDigest === undefined ? {} : { seal: req.mixDigest }) }),
        });
      },
      hashrate: (req) => {
        log.debug({ worker: req.workerName, hashrate: req.hashrate.toString(), id: req.id }, 'miner reported its hashrate');
      },
      malformed: (message) => guard.malformed(message),
      closed: (info) => {
        this.live.delete(entry);
        guard.closed();
        // none of these dialects can resume a session: its extranonce1 is free at once
        void session.close({ abandon: true });
        log.info({ reason: info.reason, byPeer: info.byPeer }, 'miner disconnected');
      },
    };
    const dialect = createClassicServerSession(kind, peer, handler, { logger: log });
    const entry: Live & { kind: EthClassicDialect } = {
      kind,
      session,
      dialect,
      guard,
      lastJob: undefined,
      extranonce: undefined,
      accepted: 0,
      stale: 0,
      rejected: 0,
    };
    this.live.add(entry);
    guard.attach({
      resendWork: () => {
        if (entry.lastJob === undefined) return false;
        dialect.sendJob({ ...entry.lastJob, clean: true });
        return true;
      },
      // Es1ServerSession, EthProxyServerSession and PlainEthServerSession have no
      // reconnect message: the escalation goes straight to drop at this step.
      reconnect: () => false,
      drop: (reason) => dialect.close(reason),
    });
    session.onEvent((event) => {
      if (event.type !== 'job') return; // a new difficulty travels with the next job
      const work = event.job.work;
      if (work.dialect !== 'ethstratum') {
        log.error({ coin: event.job.coin, dialect: work.dialect }, 'the coin produces work an ethstratum port cannot send; closing');
        dialect.close(`coin ${event.job.coin} produces ${work.dialect} work`);
        return;
      }
      try {
        entry.lastJob = {
          jobId: event.job.id,
          height: event.job.height,
          headerHash: work.headerHash,
          seedHash: work.seedHash,
          clean: event.clean,
          target: targetFromDifficulty(event.difficulty, this.diff1Target),
          algo: work.algo,
          extranonce: entry.extranonce ?? Buffer.alloc(0),
        };
        dialect.sendJob(entry.lastJob);
      } catch (e) {
        log.error({ err: e, job: event.job.id }, 'the job does not fit the dialect; closing');
        dialect.close(`job ${event.job.id} does not fit ${ETH_DIALECT_NAMES[kind]}: ${(e as Error).message}`);
      }
    });
  }

  /** asks the engine session to authorize a worker and logs the answer (every dialect) */
  private async authorizeWorker(
    session: MinerSession,
    guard: ConnectionGuard,
    log: LodeLogger,
    req: { workerName: string; password: string },
  ): Promise<boolean> {
    const ok = await session.authorize(req);
    log.info({ worker: req.workerName, ok }, ok ? 'worker authorized' : 'worker refused');
    if (!ok) guard.authFailure();
    return ok;
  }

  /**
   * Judges one share of any Ethereum dialect (ntime and the 4-byte nonce
   * field are unused: the 8-byte nonce is extranonce1 ‖ extranonce2), then
   * counts and logs the verdict.
   */
  private async submitShare(
    entry: Live,
    log: LodeLogger,
    share: Omit<SubmitRequest, 'ntime' | 'nonce'>,
  ): Promise<ShareVerdict> {
    const verdict = await entry.session.submit({ ...share, ntime: 0, nonce: 0 });
    this.noteVerdict(entry, log, share.workerName, share.jobId, verdict);
    return verdict;
  }

  /** counts and logs one share verdict (info when `log.shares`, else debug) */
  private noteVerdict(entry: Live, log: LodeLogger, workerName: string, jobId: string, verdict: ShareVerdict): void {
    const level = this.logShares ? 'info' : 'debug';
    if (verdict.accepted) {
      this.counters.sharesAccepted++;
      entry.accepted++;
      if (verdict.stale === true) entry.stale++;
      log[level](
        {
          worker: workerName,
          job: jobId,
          difficulty: verdict.difficulty,
          shareDifficulty: Number(verdict.shareDifficulty.toPrecision(6)),
          block: verdict.block,
          stale: verdict.stale === true,
        },
        verdict.stale === true ? 'share accepted (stale)' : 'share accepted',
      );
    } else {
      this.counters.sharesRejected++;
      entry.rejected++;
      log[level]({ worker: workerName, job: jobId, reason: verdict.reason, detail: verdict.message }, 'share rejected');
    }
    entry.guard.share(verdict);
  }

  /** one stats snapshot per SNAPSHOT_MAX_AGE_MS: worker -> hashrate (H/s) */
  private workerHashrates(): Map<string, number> {
    return this.stats().byWorker;
  }

  private stats(): { windowSeconds: number; byWorker: Map<string, number> } {
    const now = Date.now();
    if (this.snapshot === undefined || now - this.snapshot.time > SNAPSHOT_MAX_AGE_MS) {
      const stats = this.engine.stats.snapshot(now);
      this.snapshot = {
        time: now,
        windowSeconds: stats.windowSeconds,
        byWorker: new Map(stats.workers.map((w) => [w.worker, w.hashrate])),
      };
    }
    return this.snapshot;
  }

  private notifyHashrates(): void {
    if (this.live.size === 0) return;
    const { byWorker: rates, windowSeconds } = this.stats();
    const intervalMinutes = Math.max(1, Math.round(windowSeconds / 60));
    for (const entry of this.live) {
      if (entry.kind !== 'es2' || entry.extranonce === undefined || entry.session.closed) continue;
      let hashrate = 0;
      for (const worker of entry.session.authorizedWorkers) hashrate += rates.get(worker) ?? 0;
      entry.dialect.sendHashrate({
        intervalMinutes,
        hashrate: BigInt(Math.round(hashrate)),
        accepted: entry.accepted,
        stale: entry.stale,
        rejected: entry.rejected,
      });
    }
  }
}
