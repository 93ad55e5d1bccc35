import { LodeError } from '@lode/stratum-core';

/**
 * What a session whose shares have all been invalid for a while gets, mildest
 * first (ckpool's stratifier, field-notes.md §1.2 "Reject escalation"):
 * 'resend-work' the current job again with clean-jobs, 'reconnect' a
 * `client.reconnect`, 'drop' the connection.
 */
export type EscalationAction = 'resend-work' | 'reconnect' | 'drop';

/** The steps of a {@link RejectEscalation}, in the order they apply. */
export const ESCALATION_ACTIONS: readonly EscalationAction[] = ['resend-work', 'reconnect', 'drop'];

/**
 * Seconds of continuously invalid shares before each step; 0 skips that step.
 * Defaults are ckpool's: 60, 120, 180.
 */
export interface RejectEscalationOptions {
  resendWorkSeconds?: number;
  reconnectSeconds?: number;
  dropSeconds?: number;
  /** the clock, ms since the epoch; default Date.now */
  now?: () => number;
}

/** ckpool's thresholds, seconds (field-notes.md §1.2). */
export const DEFAULT_ESCALATION_SECONDS = { resendWorkSeconds: 60, reconnectSeconds: 120, dropSeconds: 180 } as const;

/**
 * ckpool's reject escalation for one session (stratifier.c `parse_submit`;
 * field-notes.md §1.2): the first invalid share after a valid one (or the
 * first share) starts a streak; each later invalid share checks how long the
 * streak has lasted and, once past a step's threshold, returns that step's
 * action, once per streak. When several are due at once only the most severe
 * is returned (a session silent for 200 s gets 'drop' on its next invalid
 * share). Any valid share ends the streak and the steps start over. Shares
 * 'ignored' by classifyShare should not be recorded at all.
 *
 * Like ckpool it acts on submits only: a session that stops submitting is
 * left to the idle timeout. Pure logic on an injectable clock.
 */
export class RejectEscalation {
  private readonly thresholdsMs: { action: EscalationAction; ms: number }[];
  private readonly now: () => number;
  private streakStart: number | undefined;
  private taken = -1;

  /** @throws LodeError('config') when a threshold is negative or not finite, or enabled steps are not in increasing order */
  constructor(options: RejectEscalationOptions = {}) {
    this.now = options.now ?? Date.now;
    const seconds = [
      options.resendWorkSeconds ?? DEFAULT_ESCALATION_SECONDS.resendWorkSeconds,
      options.reconnectSeconds ?? DEFAULT_ESCALATION_SECONDS.reconnectSeconds,
      options.dropSeconds ?? DEFAULT_ESCALATION_SECONDS.dropSeconds,
    ];
    this.thresholdsMs = [];
    seconds.forEach((s, i) => {
      if (!Number.isFinite(s) || s < 0) throw new LodeError('config', `escalation threshold ${s} s is not a number >= 0`);
      if (s === 0) return;
      const previous = this.thresholdsMs[this.thresholdsMs.length - 1];
      if (previous !== undefined && s * 1000 <= previous.ms) {
        throw new LodeError('config', `escalation thresholds must increase: ${ESCALATION_ACTIONS[i]} at ${s} s is not after ${previous.action} at ${previous.ms / 1000} s`);
      }
      this.thresholdsMs.push({ action: ESCALATION_ACTIONS[i] as EscalationAction, ms: s * 1000 });
    });
  }

  /** When the current streak of invalid shares began (ms since the epoch), undefined without one. */
  get invalidSince(): number | undefined {
    return this.streakStart;
  }

  /** The most severe action taken in the current streak, undefined when none. */
  get lastAction(): EscalationAction | undefined {
    return this.taken < 0 ? undefined : this.thresholdsMs[this.taken]?.action;
  }

  /**
   * Records one share of the session.
   *
   * @param valid true for a valid share (see classifyShare)
   * @returns the action to perform now, or undefined
   */
  record(valid: boolean): EscalationAction | undefined {
    if (valid) {
      this.reset();
      return undefined;
    }
    const now = this.now();
    if (this.streakStart === undefined) {
      this.streakStart = now;
      return undefined;
    }
    const elapsed = now - this.streakStart;
    let due = this.taken;
    for (let i = this.taken + 1; i < this.thresholdsMs.length; i++) {
      if (elapsed >= (this.thresholdsMs[i] as { ms: number }).ms) due = i;
    }
    if (due === this.taken) return undefined;
    this.taken = due;
    return (this.thresholdsMs[due] as { action: EscalationAction }).action;
  }

  /** Ends the streak (as a valid share does). */
  reset(): void {
    this.streakStart = undefined;
    this.taken = -1;
  }
}
