import { LodeError } from '@lode/stratum-core';
import type { CoinTemplate } from '@lode/plugin-api';

/** One decoded bus entry: the template, the bus sequence and the publisher's clean flag. */
export interface BusEntry {
  template: CoinTemplate;
  /** the bus sequence; its lower-case hex is the job id */
  seq: number;
  /** set by the publish script: the template starts work on a new previous block */
  clean: boolean;
}

/**
 * The JSON a template travels as: `{ height, prevHash, networkTarget, raw }`
 * with `networkTarget` as lower-case hex without 0x (JSON has no bigint) and
 * `raw` as the node gave it. `jobId` and `clean` are not sent: the bus sets them.
 *
 * @throws LodeError('store') when the template cannot be JSON (e.g. a bigint inside raw)
 */
export function encodeBusTemplate(template: CoinTemplate): string {
  try {
    return JSON.stringify({
      height: template.height,
      prevHash: template.prevHash,
      networkTarget: template.networkTarget.toString(16),
      raw: template.raw,
    });
  } catch (cause) {
    throw new LodeError('store', `template at height ${template.height} cannot be sent on the bus as JSON`, { cause });
  }
}

/**
 * Decodes the flat field list of a stream entry (`seq`, `clean`, `by`,
 * `template`) written by the publish script.
 *
 * @throws LodeError('store') when a field is missing or malformed
 */
export function decodeBusEntry(id: string, fields: readonly unknown[]): BusEntry {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(String(fields[i]), String(fields[i + 1]));
  const seq = Number(map.get('seq'));
  const json = map.get('template');
  if (!Number.isSafeInteger(seq) || seq < 1 || json === undefined) {
    throw new LodeError('store', `bus entry ${id} lacks a sequence >= 1 or a template`);
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new LodeError('store', `bus entry ${id}: template is not JSON`, { cause });
  }
  const t = value as { height?: unknown; prevHash?: unknown; networkTarget?: unknown; raw?: unknown } | null;
  if (
    t === null ||
    typeof t !== 'object' ||
    typeof t.height !== 'number' ||
    typeof t.prevHash !== 'string' ||
    typeof t.networkTarget !== 'string' ||
    !/^[0-9a-f]{1,64}$/.test(t.networkTarget)
  ) {
    throw new LodeError('store', `bus entry ${id}: template lacks height, prevHash or a hex networkTarget`);
  }
  return {
    template: { height: t.height, prevHash: t.prevHash, networkTarget: BigInt(`0x${t.networkTarget}`), raw: t.raw },
    seq,
    clean: map.get('clean') === '1',
  };
}

/**
 * The entries of an XREAD reply, in any shape ioredis gives: RESP2 and
 * `xread()` under RESP3 "legacy" mapping (`[[key, [[id, fields], ...]]]`),
 * a RESP3 map flattened by `call()` (`[key, [[id, fields], ...]]`), or a
 * RESP3 map as an object (`{ key: [[id, fields], ...] }`). null (BLOCK timed
 * out) gives none.
 */
export function xreadEntries(reply: unknown): [string, unknown[]][] {
  if (reply === null || reply === undefined) return [];
  let streams: unknown[];
  if (Array.isArray(reply)) {
    streams =
      typeof reply[0] === 'string' || Buffer.isBuffer(reply[0])
        ? reply.filter((_, i) => i % 2 === 1)
        : reply.map((s: unknown) => (Array.isArray(s) ? s[1] : undefined));
  } else {
    streams = typeof reply === 'object' ? Object.values(reply as Record<string, unknown>) : [];
  }
  const entries: [string, unknown[]][] = [];
  for (const items of streams) {
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (Array.isArray(item) && Array.isArray(item[1])) entries.push([String(item[0]), item[1] as unknown[]]);
    }
  }
  return entries;
}
