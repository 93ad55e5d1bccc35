import { SHARE_KINDS, type ShareKind, type ShareMix } from './share-kind';

/**
 * Picks the kind of each next share so that every prefix of the sequence
 * follows the mix as closely as whole shares allow: smooth weighted
 * round-robin (nginx's upstream balancer). Each pick adds every kind's
 * percent to its credit, takes the kind with the most credit (ties go to
 * the earlier kind in SHARE_KINDS order) and takes 100 from it.
 *
 * Deterministic: the same mix and offset give the same sequence, so that a
 * run can be reasoned about and tested. With integer percents the sequence
 * repeats every 100 picks with exactly `percent` picks of each kind.
 * Constant memory: one credit per kind.
 */
export class ShareMixScheduler {
  private readonly kinds: ShareKind[];
  private readonly weights: number[];
  private readonly credit: number[];
  private readonly total: number;

  /**
   * @param mix percent per kind (see parseShareMix)
   * @param offset picks to skip first (a session's index), so that sessions
   *   do not all send the same kind at the same moment; taken modulo 100
   * @throws RangeError when the mix has no kind above 0
   */
  constructor(mix: ShareMix, offset = 0) {
    this.kinds = SHARE_KINDS.filter((k) => mix[k] > 0);
    if (this.kinds.length === 0) throw new RangeError('the share mix has no kind above 0%');
    this.weights = this.kinds.map((k) => mix[k]);
    this.credit = this.kinds.map(() => 0);
    this.total = this.weights.reduce((a, b) => a + b, 0);
    const skip = Math.floor(Math.abs(offset)) % 100;
    for (let i = 0; i < skip; i++) this.next();
  }

  /** The kind of the next share. */
  next(): ShareKind {
    let best = 0;
    for (let i = 0; i < this.kinds.length; i++) {
      this.credit[i] += this.weights[i];
      if (this.credit[i] > this.credit[best]) best = i;
    }
    this.credit[best] -= this.total;
    return this.kinds[best];
  }
}
