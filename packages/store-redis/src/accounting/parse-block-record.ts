import type { BlockAccount } from './block-account';

/**
 * Reads a stored block record: the pending one the apply script writes (all
 * values strings) or the one with its split. Internal to the accounting.
 *
 * @returns the block, undefined when the text is not a block record
 */
export function parseBlockRecord(text: string): BlockAccount | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const num = (v: unknown): number => (typeof v === 'number' ? v : Number(str(v) || 'NaN'));
  const scheme = str(r['scheme']);
  if (scheme !== 'pplns' && scheme !== 'prop' && scheme !== 'solo') return undefined;
  const status = str(r['status']);
  const windowDifficulty = num(r['windowDifficulty']);
  const block: BlockAccount = {
    shareId: str(r['shareId']),
    height: num(r['height']),
    hash: str(r['hash']),
    finder: str(r['finder']),
    time: num(r['time']),
    reward: str(r['reward']),
    scheme,
    ...(scheme === 'pplns' && windowDifficulty > 0 ? { windowDifficulty } : {}),
    roundNumber: num(r['roundNumber']),
    roundDifficulty: num(r['roundDifficulty']),
    roundStartedAt: num(r['roundStartedAt']),
    round: numberRecord(r['round']),
    split: stringRecord(r['split']),
    status: status === 'split' || status === 'unsplit' ? status : 'pending',
    ...(typeof r['note'] === 'string' ? { note: r['note'] } : {}),
  };
  return block;
}

// Object.fromEntries defines own properties, so a worker named "__proto__" stays a plain key.
function numberRecord(v: unknown): Record<string, number> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Number(x)]));
}

function stringRecord(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}
