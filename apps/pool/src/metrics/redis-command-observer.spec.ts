import { tracingChannel } from 'node:diagnostics_channel';
import { observeRedisCommands } from './redis-command-observer';

/** What ioredis publishes around one command: the TracingChannel `ioredis:command`. */
function command(name: string, args: string[], fail?: string): Promise<unknown> {
  return tracingChannel('ioredis:command')
    .tracePromise(async () => {
      if (fail !== undefined) throw new Error(fail);
      return 'OK';
    }, { command: name, args })
    .catch(() => undefined);
}

describe('observeRedisCommands', () => {
  it('records each command by name with its outcome, leaves blocking reads and NOSCRIPT out, and stops on unsubscribe', async () => {
    const seen: [string, boolean][] = [];
    const stop = observeRedisCommands((name, seconds, ok) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      seen.push([name, ok]);
    });
    await command('get', ['k']);
    await command('EVALSHA', ['?'], 'NOSCRIPT No matching script. Please use EVAL.');
    await command('hget', ['k', 'f'], 'WRONGTYPE Operation against a key holding the wrong kind of value');
    await command('xread', ['COUNT', '100', 'BLOCK', '10000', 'STREAMS', 's', '$']);
    await command('xread', ['COUNT', '100', 'STREAMS', 's', '0']);
    await command('blpop', ['q', '0']);
    stop();
    await command('set', ['k', '?']);
    expect(seen).toEqual([
      ['get', true],
      ['hget', false],
      ['xread', true],
    ]);
  });
});
