import type { StreamShare } from './stream-share';

/**
 * Turns a stream entry's flat fields into a {@link StreamShare}. Internal to
 * the accounting.
 *
 * @param entryId stream entry id ("<ms>-<seq>")
 * @param fields flat [name, value, ...] as XREADGROUP returns them
 * @returns the share, or why the entry cannot be accounted (no verdict; a
 *   credited difficulty that is not a finite number >= 0; a block without a
 *   valid height)
 */
export function parseStreamShare(entryId: string, fields: readonly string[]): StreamShare | string {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
  const verdictText = map.get('verdict') ?? '';
  if (verdictText === '') return 'the entry has no verdict';
  // The reason becomes part of hash field names: keep it printable and short.
  const verdict = verdictText.replace(/[^\x21-\x7e]/g, '_').slice(0, 64);
  const accepted = verdict === 'accepted';
  const difficultyText = map.get('difficulty') ?? '';
  const credited = difficultyText === '' ? 0 : Number(difficultyText);
  if (!Number.isFinite(credited) || credited < 0) return `credited difficulty is '${difficultyText}'; it must be a finite number >= 0`;
  const timeText = map.get('time') ?? '';
  const time = timeText !== '' && Number.isFinite(Number(timeText)) ? Number(timeText) : Number(entryId.split('-')[0]);
  const heightText = map.get('height') ?? '';
  const height = /^[0-9]{1,15}$/.test(heightText) ? Number(heightText) : -1;
  const blockHash = map.get('blockHash') ?? '';
  const isBlock = accepted && blockHash !== '';
  if (isBlock && height < 0) return `block ${blockHash} has height '${heightText}'; a block needs an integer height >= 0`;
  return {
    entryId,
    id: map.get('id') || `entry:${entryId}`,
    worker: map.get('worker') ?? '',
    verdict,
    difficulty: accepted ? credited : 0,
    time,
    height,
    ...(isBlock ? { blockHash } : {}),
  };
}
