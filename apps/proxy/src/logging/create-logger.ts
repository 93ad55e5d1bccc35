import pino from 'pino';
import type { LodeLogger } from '@lode/stratum-core';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name']);

/**
 * Renders one pino JSON line as "12:00:01 INFO  proxy: message key=value ..."
 * (the pattern of apps/pool/src/logging/create-logger.ts, copied: apps do not import apps).
 */
export function formatPretty(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = new Date(typeof o['time'] === 'number' ? o['time'] : Date.now()).toISOString().slice(11, 19);
  const level = (LEVELS[o['level'] as number] ?? String(o['level'])).padEnd(5);
  const fields = Object.entries(o)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${level} ${String(o['name'] ?? 'lode')}: ${String(o['msg'] ?? '')}${fields ? ` ${fields}` : ''}\n`;
}

/**
 * The proxy's pino logger: JSON lines, or one human line per event.
 *
 * @param name the process name printed on every line ("proxy")
 * @param level pino level name
 * @param format "pretty" or "json"
 */
export function createLogger(name: string, level: string, format: 'pretty' | 'json'): LodeLogger & pino.Logger {
  const destination = format === 'json' ? pino.destination(1) : { write: (line: string) => void process.stdout.write(formatPretty(line)) };
  return pino({ name, level, base: undefined }, destination) as LodeLogger & pino.Logger;
}
