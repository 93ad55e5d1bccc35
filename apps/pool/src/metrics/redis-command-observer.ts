import { tracingChannel } from 'node:diagnostics_channel';

/** Most distinct command labels; later ones are counted as "other". */
export const MAX_REDIS_COMMANDS = 64;

/** Commands that wait on the server by design: their time is a wait, not a latency. */
const BLOCKING = new Set(['blpop', 'brpop', 'brpoplpush', 'blmove', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', 'wait', 'waitaof']);

/** What ioredis (>= 5.9) publishes on its `ioredis:command` tracing channel. */
interface CommandContext {
  /** lower-case command name ("evalsha", "xadd") */
  command: string;
  /** the arguments, sanitized by ioredis (secrets as "?") */
  args?: readonly string[];
  error?: unknown;
}

/**
 * Receives one Redis command's round trip.
 *
 * @param command lower-case command name, bounded ({@link MAX_REDIS_COMMANDS}, then "other")
 * @param seconds from the write to the reply
 * @param ok false when Redis answered an error or the connection failed
 *   (NOSCRIPT is not an error: ioredis loads the script and sends it again)
 */
export type RedisCommandRecorder = (command: string, seconds: number, ok: boolean) => void;

/**
 * Times every command of every ioredis client in the process through
 * ioredis's own diagnostics channel (`ioredis:command`, a TracingChannel
 * published around each command's write and reply; no client is patched).
 * Blocking reads (XREAD/XREADGROUP with BLOCK, BLPOP, ...) are left out:
 * they wait for data by design.
 *
 * @returns a function that unsubscribes
 */
export function observeRedisCommands(record: RedisCommandRecorder): () => void {
  const channel = tracingChannel<string, CommandContext & object>('ioredis:command');
  const started = new WeakMap<object, bigint>();
  const seen = new Set<string>();
  const label = (command: string): string => {
    if (seen.has(command)) return command;
    if (seen.size >= MAX_REDIS_COMMANDS) return 'other';
    seen.add(command);
    return command;
  };
  const noop = (): void => undefined;
  const handlers = {
    start(context: CommandContext & object): void {
      if (!isBlocking(context)) started.set(context, process.hrtime.bigint());
    },
    end: noop,
    asyncStart: noop,
    asyncEnd(context: CommandContext & object): void {
      const at = started.get(context);
      if (at === undefined) return;
      started.delete(context);
      const error = context.error;
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return;
      try {
        record(label(String(context.command).toLowerCase()), Number(process.hrtime.bigint() - at) / 1e9, error === undefined);
      } catch {
        // metrics never break a command
      }
    },
    error: noop,
  };
  channel.subscribe(handlers);
  return () => channel.unsubscribe(handlers);
}

function isBlocking(context: CommandContext): boolean {
  const name = String(context.command).toLowerCase();
  if (BLOCKING.has(name)) return true;
  return (name === 'xread' || name === 'xreadgroup') && (context.args ?? []).some((a) => String(a).toUpperCase() === 'BLOCK');
}
