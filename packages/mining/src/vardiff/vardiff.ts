import { LodeError } from '@lode/stratum-core';
import type { VardiffOptions } from './vardiff-options';

/** Most a single retarget moves the difficulty, up or down. */
const MAX_STEP = 4;
/** A window with this many times the expected shares retargets before retargetSeconds. */
const FAST_FACTOR = 3;
/** Silence longer than this many retargetSeconds halves the difficulty. */
const IDLE_FACTOR = 3;

/**
 * Variable difficulty for one session: aims at one share every
 * `targetShareSeconds` by retargeting at most every `retargetSeconds`.
 *
 * - Estimate: the work credited since the last change (sum of credited share
 *   difficulties) over the time since then, i.e. seconds per share at the
 *   current difficulty. Memory is O(1): a count, not a list of share times.
 * - A retarget happens on a share once `retargetSeconds` have passed since
 *   the last change, or earlier once more than 3x the expected shares arrived
 *   (a big miner starting low converges in a few windows of a few seconds).
 * - No change while the observed interval is within ±variancePercent.
 *   Otherwise new = current * targetShareSeconds / observed, limited to a
 *   factor of 4 up or down per step, rounded to 4 significant digits (so the
 *   decimal sent in set_difficulty is short and exact), clamped to
 *   [max(minDifficulty, suggested, minimum), min(maxDifficulty, ceiling)].
 * - Two floors over minDifficulty, kept apart and both in force: the
 *   miner's suggestion (`suggest`, mining.suggest_difficulty) and the
 *   connection's BIP 310 `minimum-difficulty` (`setMinimum`). Each call
 *   replaces only its own floor, so removing one leaves the other. The
 *   network ceiling (`setCeiling`) wins over both.
 * - A miner silent for more than 3x retargetSeconds is halved by checkIdle.
 *
 * The caller sends a change as set_difficulty and binds it to the next job
 * (DESIGN.md "Difficulty belongs to the job"); it never re-sends a job to
 * force it.
 *
 * @throws LodeError('config') from the constructor if an option or the
 *   initial difficulty is not finite and positive, variancePercent is outside
 *   [0, 100), or minDifficulty > maxDifficulty
 * @see facts/field-notes.md §1.1 (Miningcore VarDiffManager), §1.2 (ckpool
 *   add_submit, suggested diff as a floor), §1.3 (public-pool: 60 s, ~10 s per share)
 */
export class Vardiff {
  private readonly options: VardiffOptions;
  private current: number;
  private suggested: number | undefined;
  private minimum: number | undefined;
  private ceiling: number | undefined;
  /** start of the estimation window, ms: the last change or the last evaluation */
  private windowStart: number;
  /** sum of the credited difficulties of the shares in the window */
  private windowWork = 0;
  /** the last share or change, ms: silence is measured from here */
  private lastActivity: number;

  constructor(options: VardiffOptions, initialDifficulty: number, now: number = Date.now()) {
    const positive = (name: string, value: number): void => {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new LodeError('config', `vardiff ${name} must be a finite number > 0, got ${String(value)}`);
      }
    };
    positive('targetShareSeconds', options.targetShareSeconds);
    positive('retargetSeconds', options.retargetSeconds);
    positive('minDifficulty', options.minDifficulty);
    positive('maxDifficulty', options.maxDifficulty);
    positive('initialDifficulty', initialDifficulty);
    const { variancePercent } = options;
    if (typeof variancePercent !== 'number' || !(variancePercent >= 0 && variancePercent < 100)) {
      throw new LodeError('config', `vardiff variancePercent must be in [0, 100), got ${String(variancePercent)}`);
    }
    if (options.minDifficulty > options.maxDifficulty) {
      throw new LodeError(
        'config',
        `vardiff minDifficulty ${options.minDifficulty} is above maxDifficulty ${options.maxDifficulty}`,
      );
    }
    this.options = { ...options };
    this.current = this.clamp(initialDifficulty);
    this.windowStart = now;
    this.lastActivity = now;
  }

  /** The difficulty in effect for new jobs. */
  get difficulty(): number {
    return this.current;
  }

  /**
   * Applies a miner's `mining.suggest_difficulty`: clamped to
   * [minDifficulty, min(maxDifficulty, ceiling)], it becomes the floor of
   * later retargets (ckpool treats the user's suggestion as a lower bound,
   * facts/field-notes.md §1.2), and the current difficulty becomes it, raised
   * to the BIP 310 minimum when one is set (see setMinimum; the suggestion
   * never lowers the difficulty below the connection's minimum).
   *
   * @param difficulty the suggested difficulty, finite and > 0 (fractions allowed)
   * @param now ms since the epoch
   * @returns the difficulty applied
   * @throws LodeError('protocol') if difficulty is not a finite number > 0
   */
  suggest(difficulty: number, now: number = Date.now()): number {
    if (typeof difficulty !== 'number' || !Number.isFinite(difficulty) || difficulty <= 0) {
      throw new LodeError('protocol', `suggested difficulty must be a finite number > 0, got ${String(difficulty)}`);
    }
    // A new suggestion replaces the old floor, so it may also lower it; the
    // stored floor leaves the BIP 310 minimum out, so that removing that
    // minimum later falls back to what the miner asked for.
    this.suggested = Math.min(Math.max(difficulty, this.options.minDifficulty), this.high());
    this.current = this.clamp(this.suggested);
    this.restart(now);
    return this.current;
  }

  /**
   * Sets the connection's BIP 310 `minimum-difficulty` floor
   * (`"minimum-difficulty.value"`, >= 0; 0 disables it). `undefined` or 0
   * removes it, back to minDifficulty (and the suggestion, if any).
   * Otherwise it is the floor of every later retarget, idle halving and
   * suggestion:
   * - raising: a current difficulty below it becomes the floor at once
   *   (returned, so the caller sends it; it binds to the next job as always);
   * - lowering: the current difficulty stays, later retargets may go down to
   *   the new floor.
   * It works beside the suggestion floor (the higher of the two holds) and
   * under the network ceiling of setCeiling (the ceiling wins: a share harder
   * than a block is pointless). Values below minDifficulty leave
   * minDifficulty in force; values above maxDifficulty are held at it.
   *
   * @param difficulty the minimum, finite and >= 0 (fractions allowed), or undefined
   * @param now ms since the epoch
   * @returns the new current difficulty when it changed (only ever up), else undefined
   * @throws LodeError('protocol') if difficulty is negative, NaN or infinite
   * @see specs/002_b8c80480aecfabab.txt, extension "minimum-difficulty" (BIP 310)
   */
  setMinimum(difficulty: number | undefined, now: number = Date.now()): number | undefined {
    if (difficulty !== undefined && (typeof difficulty !== 'number' || !Number.isFinite(difficulty) || difficulty < 0)) {
      throw new LodeError('protocol', `minimum difficulty must be a finite number >= 0, got ${String(difficulty)}`);
    }
    this.minimum = difficulty === 0 ? undefined : difficulty;
    // Only a raise changes the current difficulty; a lower floor waits for the next retarget.
    return this.change(this.current, now);
  }

  /**
   * Caps the difficulty at the network difficulty (a share harder than a
   * block is pointless); the cap wins over both floors (suggestion and BIP 310
   * minimum); when it is raised or removed later, a difficulty it held below
   * a floor goes back up to that floor at once. `undefined` removes it.
   *
   * @param networkDifficulty the coin's current network difficulty, finite and > 0
   * @param now ms since the epoch
   * @returns the new difficulty when the cap changed it, else undefined
   * @throws LodeError('protocol') if networkDifficulty is not a finite number > 0
   */
  setCeiling(networkDifficulty: number | undefined, now: number = Date.now()): number | undefined {
    if (
      networkDifficulty !== undefined &&
      (typeof networkDifficulty !== 'number' || !Number.isFinite(networkDifficulty) || networkDifficulty <= 0)
    ) {
      throw new LodeError('protocol', `network difficulty must be a finite number > 0, got ${String(networkDifficulty)}`);
    }
    this.ceiling = networkDifficulty;
    return this.change(this.current, now);
  }

  /**
   * Counts one accepted share and retargets when it is time (see the class
   * doc).
   *
   * @param now ms since the epoch
   * @param creditedDifficulty the difficulty the share was credited at; pass
   *   it so stragglers on jobs sent before the last change count for the work
   *   they really did (default: the current difficulty)
   * @returns the new difficulty when it changed, else undefined
   */
  recordShare(now: number = Date.now(), creditedDifficulty?: number): number | undefined {
    const { targetShareSeconds, retargetSeconds, variancePercent } = this.options;
    const credited =
      creditedDifficulty !== undefined && Number.isFinite(creditedDifficulty) && creditedDifficulty > 0
        ? creditedDifficulty
        : this.current;
    this.windowWork += credited;
    this.lastActivity = Math.max(this.lastActivity, now);

    const elapsedSeconds = Math.max(0, now - this.windowStart) / 1000;
    const shares = this.windowWork / this.current;
    const expectedShares = retargetSeconds / targetShareSeconds;
    if (elapsedSeconds < retargetSeconds && shares <= FAST_FACTOR * expectedShares) return undefined;

    const observed = elapsedSeconds / shares;
    // Each window is judged once: a new one starts whether or not it changes.
    this.windowStart = now;
    this.windowWork = 0;
    const band = variancePercent / 100;
    if (observed >= targetShareSeconds * (1 - band) && observed <= targetShareSeconds * (1 + band)) return undefined;

    const ratio = observed > 0 ? targetShareSeconds / observed : MAX_STEP;
    const step = Math.min(MAX_STEP, Math.max(1 / MAX_STEP, ratio));
    return this.change(round(this.current * step), now);
  }

  /**
   * Lowers the difficulty of a miner that has sent no share for more than
   * 3x retargetSeconds (since its last share or the last change): halves it,
   * down to the floor. Call it from a timer; repeated calls halve once per
   * silent period.
   *
   * @param now ms since the epoch
   * @returns the new difficulty when it changed, else undefined
   */
  checkIdle(now: number = Date.now()): number | undefined {
    if (now - this.lastActivity <= IDLE_FACTOR * this.options.retargetSeconds * 1000) return undefined;
    this.restart(now);
    return this.change(round(this.current / 2), now);
  }

  /** Clamps, applies and reports a new difficulty; undefined when unchanged. */
  private change(proposed: number, now: number): number | undefined {
    const next = this.clamp(proposed);
    if (next === this.current) return undefined;
    this.current = next;
    this.restart(now);
    return next;
  }

  private restart(now: number): void {
    this.windowStart = now;
    this.windowWork = 0;
    this.lastActivity = Math.max(this.lastActivity, now);
  }

  private clamp(difficulty: number): number {
    const low = Math.max(this.options.minDifficulty, this.suggested ?? 0, this.minimum ?? 0);
    // The cap wins over the floor: never ask for shares harder than a block.
    return Math.min(Math.max(difficulty, low), this.high());
  }

  private high(): number {
    return Math.min(this.options.maxDifficulty, this.ceiling ?? Number.POSITIVE_INFINITY);
  }
}

/** 4 significant digits: a short, exact decimal in set_difficulty. */
function round(difficulty: number): number {
  return Number(difficulty.toPrecision(4));
}
