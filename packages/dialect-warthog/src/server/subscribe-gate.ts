/** What kind of server message a gate entry is; jobs and difficulties coalesce on a clean notify. */
export type GatedKind = 'difficulty' | 'notify' | 'clean-notify' | 'other';

/** One server message waiting for the subscribe reply. */
export interface GatedMessage {
  kind: GatedKind;
  /** writes the message to the peer */
  send(): void;
}

/**
 * Holds server messages back until the subscribe reply has been written, so
 * that nothing the pool sends overtakes it (a miner reads the line after its
 * subscribe as the reply). Bounded: a clean notify drops the jobs queued
 * before it and all but the last queued difficulty (the one a miner binds to
 * that notify), and past `cap` entries `push` reports an overflow for the
 * session to act on. Same rule as dialect-bitcoin's gate.
 */
export class SubscribeGate {
  private queue: GatedMessage[] | undefined = [];

  constructor(private readonly cap: number) {}

  /** True once the subscribe reply went out; messages are then sent at once. */
  get isOpen(): boolean {
    return this.queue === undefined;
  }

  /** Messages waiting for the subscribe reply. */
  get size(): number {
    return this.queue?.length ?? 0;
  }

  /** Sends `msg` now when open, else queues it; 'overflow' when the queue is full (the message is dropped). */
  push(msg: GatedMessage): 'sent' | 'queued' | 'overflow' {
    if (this.queue === undefined) {
      msg.send();
      return 'sent';
    }
    if (msg.kind === 'clean-notify') this.coalesce();
    if (this.queue.length >= this.cap) return 'overflow';
    this.queue.push(msg);
    return 'queued';
  }

  /** Opens the gate: sends what waited, in order. Idempotent. */
  open(): void {
    const queued = this.queue;
    if (queued === undefined) return;
    this.queue = undefined;
    for (const msg of queued) msg.send();
  }

  /** Drops what waited. The gate stays shut. */
  clear(): void {
    this.queue = [];
  }

  private coalesce(): void {
    const queue = this.queue ?? [];
    let lastDifficulty = -1;
    for (let i = queue.length - 1; i >= 0; i--) {
      if (queue[i].kind === 'difficulty') {
        lastDifficulty = i;
        break;
      }
    }
    this.queue = queue.filter((m, i) => m.kind === 'other' || (m.kind === 'difficulty' && i === lastDifficulty));
  }
}
