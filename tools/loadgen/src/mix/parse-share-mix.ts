import { SHARE_KINDS, zeroByKind, type ShareKind, type ShareMix } from './share-kind';

/** Short names accepted in `--mix` next to the full kind names. */
const ALIASES: Readonly<Record<string, ShareKind>> = {
  valid: 'valid',
  ok: 'valid',
  'low-difficulty': 'low-difficulty',
  low: 'low-difficulty',
  lowdiff: 'low-difficulty',
  duplicate: 'duplicate',
  dup: 'duplicate',
  stale: 'stale',
  malformed: 'malformed',
  bad: 'malformed',
};

/**
 * Parses a share mix written `kind=percent,...`, e.g.
 * `valid=70,low=10,dup=10,stale=5,malformed=5`. Kinds left out get 0.
 * Names: valid (ok), low-difficulty (low, lowdiff), duplicate (dup), stale,
 * malformed (bad).
 *
 * @returns percent per kind, adding up to 100
 * @throws Error naming the item and the rule: unknown kind, a kind given
 *   twice, a percent that is not a number in [0, 100], or a total other than 100
 */
export function parseShareMix(text: string): ShareMix {
  const mix = zeroByKind();
  const seen = new Set<ShareKind>();
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`share mix item "${item}" is not kind=percent`);
    const name = item.slice(0, eq).trim().toLowerCase();
    const kind = ALIASES[name];
    if (kind === undefined) throw new Error(`share mix kind "${name}" is not one of ${SHARE_KINDS.join(', ')}`);
    if (seen.has(kind)) throw new Error(`share mix names ${kind} twice`);
    seen.add(kind);
    const raw = item.slice(eq + 1).trim().replace(/%$/, '');
    const percent = Number(raw);
    if (raw === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
      throw new Error(`share mix percent "${raw}" of ${kind} is not a number from 0 to 100`);
    }
    mix[kind] = percent;
  }
  const total = SHARE_KINDS.reduce((sum, k) => sum + mix[k], 0);
  if (Math.abs(total - 100) > 1e-9) throw new Error(`share mix "${text}" adds up to ${total}%, expected 100%`);
  return Object.freeze(mix);
}

/** The mix as `valid=70,low-difficulty=10,...`, kinds at 0 left out. */
export function formatShareMix(mix: ShareMix): string {
  return SHARE_KINDS.filter((k) => mix[k] > 0)
    .map((k) => `${k}=${mix[k]}`)
    .join(',');
}
