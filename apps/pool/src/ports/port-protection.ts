import type { Subscription } from 'rxjs';
import type { ShareVerdict } from '@lode/mining';
import {
  classifyShare,
  normalizeAddress,
  RejectEscalation,
  type BanManager,
  type EscalationAction,
  type RejectEscalationOptions,
} from '@lode/pool-engine';
import type { AdmitConnection, LodeLogger, MalformedKind, MalformedMessage, PeerAddress, TlsCertificate, TlsCertificateFiles } from '@lode/stratum-core';

/**
 * What a port is given besides its config: the pool's shared ban list and
 * the reject escalation settings (issue 10 "Protection"), and optionally a
 * certificate that replaces the config's TLS files (tests).
 */
export interface PortOptions {
  /** TLS certificate in memory or PEM files; default the port config's `tls` files */
  tls?: TlsCertificate | TlsCertificateFiles;
  protection?: PortProtectionOptions;
}

/** The protection a port applies to its connections. */
export interface PortProtectionOptions {
  /** the pool's ban list, one for every port; absent: no bans */
  bans?: BanManager;
  /** ckpool's reject escalation thresholds (seconds; `now` the clock in ms); absent or false: no escalation */
  escalation?: RejectEscalationOptions | false;
  /** told of every escalation step taken (metrics) */
  escalated?: (action: EscalationAction) => void;
  /**
   * told of every malformed message a connection of the port sent, by kind
   * (metrics: `lode_pool_malformed_messages_total`); the ethstratum port's
   * first lines that name no dialect count as `not-json` or `not-request`
   */
  malformed?: (kind: MalformedKind) => void;
}

/**
 * What the escalation asks of a session, per dialect (see each port):
 * resend the current job with clean-jobs, ask the miner to reconnect, drop it.
 */
export interface EscalationActions {
  /** sends the session's current job again with clean-jobs; false when it has none yet */
  resendWork(): boolean;
  /** asks the miner to reconnect; false when the dialect cannot (the port then drops the connection at this step) */
  reconnect(): boolean;
  /** closes the connection with `reason` */
  drop(reason: string): void;
}

/**
 * One port's side of the pool's protection: the StratumServer `admit` gate
 * (refuses banned addresses, counts each admitted connection toward the
 * connection-rate rule), and one {@link ConnectionGuard} per connection that
 * counts its shares, malformed messages and failed authorisations against its
 * address and runs ckpool's reject escalation on its shares. When any port
 * bans an address, every port closes that address's open connections (each
 * port subscribes to `bans$`).
 */
export class PortProtection {
  /** the StratumServer gate; undefined without a ban list */
  readonly admit: AdmitConnection | undefined;
  private readonly byAddress = new Map<string, Set<ConnectionGuard>>();
  private readonly banSubscription: Subscription | undefined;

  constructor(
    private readonly options: PortProtectionOptions,
    private readonly logger: LodeLogger,
  ) {
    const bans = options.bans;
    if (bans !== undefined) {
      this.admit = (peer: PeerAddress) => bans.banReason(peer.address) ?? (bans.recordConnection(peer.address) ? bans.banReason(peer.address) : undefined);
      this.banSubscription = bans.bans$.subscribe((ban) => {
        const guards = this.byAddress.get(ban.address);
        if (guards === undefined) return;
        const reason = `banned until ${new Date(ban.until).toISOString()} (${ban.rule}: ${ban.reason})`;
        this.logger.info({ address: ban.address, connections: guards.size }, 'closing the open connections of a banned address');
        for (const guard of [...guards]) guard.drop(reason);
      });
    } else {
      this.admit = undefined;
    }
  }

  /** The ban list the port counts against, when there is one. */
  get bans(): BanManager | undefined {
    return this.options.bans;
  }

  /**
   * Starts guarding one accepted connection.
   *
   * @param remoteAddress the connection's address (the PROXY header's source on such ports); undefined when the socket had none
   * @param log the connection's logger
   * @param close closes the connection (until `attach` gives the session's own actions)
   */
  guard(remoteAddress: string | undefined, log: LodeLogger, close: (reason: string) => void): ConnectionGuard {
    const address = normalizeAddress(remoteAddress ?? 'unknown');
    const escalation = this.options.escalation === undefined || this.options.escalation === false ? undefined : new RejectEscalation(this.options.escalation);
    const guard = new ConnectionGuard(address, this.options.bans, escalation, log, close, () => this.release(guard), this.options);
    let set = this.byAddress.get(address);
    if (set === undefined) this.byAddress.set(address, (set = new Set()));
    set.add(guard);
    return guard;
  }

  /** Stops following bans (after the port closed its connections). */
  dispose(): void {
    this.banSubscription?.unsubscribe();
  }

  private release(guard: ConnectionGuard): void {
    const set = this.byAddress.get(guard.address);
    set?.delete(guard);
    if (set?.size === 0) this.byAddress.delete(guard.address);
  }
}

/**
 * The protection of one connection: what it does is counted against its
 * address on the pool's ban list, and its shares feed ckpool's reject
 * escalation (field-notes.md §1.2). Call `closed()` when the connection
 * closes.
 */
export class ConnectionGuard {
  private actions: EscalationActions | undefined;
  private isClosed = false;

  constructor(
    /** the normalised address (see normalizeAddress) */
    readonly address: string,
    private readonly bans: BanManager | undefined,
    private readonly escalation: RejectEscalation | undefined,
    private readonly log: LodeLogger,
    private readonly close: (reason: string) => void,
    private readonly onClosed: () => void,
    /** the port's `escalated` and `malformed` observers */
    private readonly observers: Pick<PortProtectionOptions, 'escalated' | 'malformed'> = {},
  ) {}

  /** Gives the guard the session's escalation actions (once the dialect session exists). */
  attach(actions: EscalationActions): void {
    this.actions = actions;
  }

  /**
   * Counts one share verdict: toward the invalid-share ban rule, and through
   * the reject escalation, whose due action is performed here.
   */
  share(verdict: ShareVerdict): void {
    if (this.isClosed) return;
    this.bans?.recordShare(this.address, verdict);
    const kind = classifyShare(verdict);
    if (this.isClosed || this.escalation === undefined || kind === 'ignored') return;
    const action = this.escalation.record(kind === 'valid');
    if (action !== undefined) this.escalate(action);
  }

  /**
   * Counts one malformed message (a dialect session's `malformed` callback:
   * an overlong or unparseable line, an unknown method, wrong params, a
   * notification the dialect refuses) toward the malformed-message ban rule,
   * and tells the port's `malformed` observer. Logged at debug.
   */
  malformed(message: MalformedMessage): void {
    if (this.isClosed) return;
    this.log.debug({ kind: message.kind, method: message.method, reason: message.reason }, 'malformed message');
    this.observers.malformed?.(message.kind);
    this.bans?.recordMalformed(this.address, 1);
  }

  /** Counts one refused authorisation. */
  authFailure(): void {
    if (this.isClosed) return;
    this.bans?.recordAuthFailure(this.address);
  }

  /** Closes the connection (a ban); the dialect's close handler then calls `closed()`. */
  drop(reason: string): void {
    if (this.isClosed) return;
    this.log.info({ address: this.address, reason }, 'connection closed: address banned');
    if (this.actions !== undefined) this.actions.drop(reason);
    else this.close(reason);
  }

  /** The connection closed: stop counting. Idempotent. */
  closed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.onClosed();
  }

  private escalate(action: EscalationAction): void {
    const actions = this.actions;
    if (actions === undefined) return;
    const since = this.escalation?.invalidSince;
    const detail = { action, invalidSince: since === undefined ? undefined : new Date(since).toISOString() };
    this.observers.escalated?.(action);
    switch (action) {
      case 'resend-work':
        if (actions.resendWork()) this.log.info(detail, 'reject escalation: every share invalid, current job re-sent with clean-jobs');
        return;
      case 'reconnect':
        if (actions.reconnect()) {
          this.log.info(detail, 'reject escalation: every share invalid, reconnect sent');
          return;
        }
        this.log.info(detail, 'reject escalation: every share invalid and the dialect cannot ask for a reconnect; dropping');
        actions.drop('every share invalid (reject escalation; the dialect has no reconnect)');
        return;
      case 'drop':
        this.log.info(detail, 'reject escalation: every share invalid, dropping');
        actions.drop('every share invalid (reject escalation)');
        return;
    }
  }
}
