/**
 * The header version a share describes (BIP 310):
 * `(jobVersion & ~mask) | (versionBits & mask)` when the share carries both
 * version bits and the session's negotiated mask; the job version otherwise
 * (without a negotiated mask, version bits are ignored here; checkShare
 * refuses bits outside a mask).
 *
 * @param jobVersion the job's version, uint32
 * @param versionBits the 6th mining.submit parameter, uint32
 * @param versionMask the session's negotiated mask, uint32
 * @returns uint32
 * @see facts/bitcoin-stratum.md rule 7; field-notes.md §3(b)
 */
export function rolledVersion(jobVersion: number, versionBits?: number, versionMask?: number): number {
  if (versionBits === undefined || versionMask === undefined) return jobVersion >>> 0;
  return ((jobVersion & ~versionMask) | (versionBits & versionMask)) >>> 0;
}
