/**
 * The bounded `reason` label of a share an upstream pool refused, read from
 * the pool's free-text error (each pool words it its own way): "none" when
 * there is neither text nor code; else the first of "duplicate", "stale",
 * "unknown-job", "low-difficulty", "unauthorized", "not-subscribed" whose
 * wording the text contains; else what the Stratum v1 error code says
 * (21 stale, 22 duplicate, 23 low-difficulty, 24 unauthorized, 25
 * not-subscribed); else "other".
 *
 * "Job not found" is stale: pools wipe their jobs on a new block and answer
 * that (facts/field-notes.md, "Stale handling"; dialect-bitcoin's
 * BitcoinErrorCodes: 21 "Job not found (stale)", 20 "unknown job id").
 *
 * @param text the pool's error message ("Duplicate share", "Job not found", "high-hash")
 * @param code the JSON-RPC error code, when known
 */
export function shareReasonLabel(text: string, code?: number): string {
  const t = text.toLowerCase();
  if (t.trim() === '' && code === undefined) return 'none';
  if (t.includes('duplicate')) return 'duplicate';
  if (/stale|job not found|expired|too old/.test(t)) return 'stale';
  if (/unknown job|invalid job|job id/.test(t)) return 'unknown-job';
  if (/low[- ]?diff|above (its |the )?target|high-hash|difficulty too low|target not met/.test(t)) return 'low-difficulty';
  if (/unauthori[sz]ed|not authori[sz]ed|unknown worker/.test(t)) return 'unauthorized';
  if (t.includes('not subscribed')) return 'not-subscribed';
  switch (code) {
    case 21:
      return 'stale';
    case 22:
      return 'duplicate';
    case 23:
      return 'low-difficulty';
    case 24:
      return 'unauthorized';
    case 25:
      return 'not-subscribed';
    default:
      return 'other';
  }
}
