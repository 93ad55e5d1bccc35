/** One entry of a Redis stream: its id and its fields (null when the entry was deleted while pending). */
export interface StreamEntry {
  id: string;
  fields: string[] | null;
}

/**
 * Reads the entries of ONE stream out of an XREADGROUP reply, in either
 * shape ioredis gives it: RESP2 `[[key, entries]]`, or RESP3 with legacy
 * mapping `[key, entries]`; null (nothing before BLOCK ended) gives [].
 * Internal to the accounting.
 */
export function entriesOfReadReply(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const pair: unknown = typeof reply[0] === 'string' || Buffer.isBuffer(reply[0]) ? reply : reply[0];
  if (!Array.isArray(pair)) return [];
  return toEntries(pair[1]);
}

/** The entries and next cursor of an XAUTOCLAIM reply `[cursor, entries, deleted]`. Internal to the accounting. */
export function entriesOfClaimReply(reply: unknown): { cursor: string; entries: StreamEntry[] } {
  if (!Array.isArray(reply) || reply.length < 2) return { cursor: '0-0', entries: [] };
  return { cursor: String(reply[0]), entries: toEntries(reply[1]) };
}

function toEntries(list: unknown): StreamEntry[] {
  if (!Array.isArray(list)) return [];
  const out: StreamEntry[] = [];
  for (const item of list) {
    if (!Array.isArray(item)) continue;
    const fields = Array.isArray(item[1]) ? item[1].map((f: unknown) => String(f)) : null;
    out.push({ id: String(item[0]), fields });
  }
  return out;
}
