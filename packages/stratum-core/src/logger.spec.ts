import { Writable } from 'node:stream';
import pino from 'pino';
import { lazyChildLogger, type LodeLogger, silentLogger } from './logger';

/** A logger that records what it is asked, and the children made of it. */
function recorder(enabled?: (level: string) => boolean): { logger: LodeLogger; calls: unknown[][]; children: object[] } {
  const calls: unknown[][] = [];
  const children: object[] = [];
  const make = (bound: object): LodeLogger => ({
    debug: (...args: unknown[]) => calls.push(['debug', bound, ...args]),
    info: (...args: unknown[]) => calls.push(['info', bound, ...args]),
    warn: (...args: unknown[]) => calls.push(['warn', bound, ...args]),
    error: (...args: unknown[]) => calls.push(['error', bound, ...args]),
    child: (bindings: object) => {
      children.push(bindings);
      return make({ ...bound, ...bindings });
    },
    ...(enabled === undefined ? {} : { isLevelEnabled: enabled }),
  });
  return { logger: make({}), calls, children };
}

/** A real pino logger (no time, no pid/hostname) writing into `lines`, one parsed object each. */
function pinoInto(level: string): { logger: LodeLogger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      done();
    },
  });
  // pino writes synchronously to a plain stream: the lines are there when the call returns.
  return { logger: pino({ level, base: undefined, timestamp: false }, stream), lines };
}

describe('lazyChildLogger', () => {
  it('makes no child and calls the parent with the bindings merged into the object', () => {
    const { logger, calls, children } = recorder();
    const lazy = lazyChildLogger(logger, { conn: 'a1', remote: '127.0.0.1:4000' });
    lazy.info({ worker: 'alice.rig1' }, 'worker authorized');
    lazy.warn({ pending: 129 });
    lazy.debug({}, 'x');
    lazy.error({ err: 'boom' }, 'y');
    expect(children).toEqual([]);
    expect(calls).toEqual([
      ['info', {}, { conn: 'a1', remote: '127.0.0.1:4000', worker: 'alice.rig1' }, 'worker authorized'],
      // no message given, none passed on (not even undefined)
      ['warn', {}, { conn: 'a1', remote: '127.0.0.1:4000', pending: 129 }],
      ['debug', {}, { conn: 'a1', remote: '127.0.0.1:4000' }, 'x'],
      ['error', {}, { conn: 'a1', remote: '127.0.0.1:4000', err: 'boom' }, 'y'],
    ]);
    expect(calls[1]).toHaveLength(3);
  });

  it('makes lazy children of lazy children, still without a child of the parent', () => {
    const { logger, calls, children } = recorder();
    lazyChildLogger(logger, { conn: 'a1' }).child({ dialect: 'bitcoin' }).info({ n: 1 });
    expect(children).toEqual([]);
    expect(calls).toEqual([['info', {}, { conn: 'a1', dialect: 'bitcoin', n: 1 }]]);
  });

  it('skips a level the parent says is disabled, and answers isLevelEnabled from the parent', () => {
    const { logger, calls } = recorder((level) => level !== 'debug');
    const lazy = lazyChildLogger(logger, { conn: 'a1' });
    lazy.debug({ n: 1 }, 'dropped');
    lazy.child({ side: 'server' }).debug({ n: 2 }, 'dropped too');
    lazy.info({ n: 3 }, 'kept');
    expect(calls).toEqual([['info', {}, { conn: 'a1', n: 3 }, 'kept']]);
    expect(lazy.isLevelEnabled?.('debug')).toBe(false);
    expect(lazy.child({ side: 'server' }).isLevelEnabled?.('warn')).toBe(true);
  });

  it('takes every level as enabled when the parent cannot tell', () => {
    const { logger, calls } = recorder();
    const lazy = lazyChildLogger(logger, { conn: 'a1' });
    expect(lazy.isLevelEnabled?.('debug')).toBe(true);
    lazy.debug({ n: 1 });
    expect(calls).toEqual([['debug', {}, { conn: 'a1', n: 1 }]]);
  });

  it('logs an Error given as the object through a child made for that call', () => {
    const { logger, calls, children } = recorder();
    const err = new Error('boom');
    lazyChildLogger(logger, { conn: 'a1' }).error(err, 'failed');
    expect(children).toEqual([{ conn: 'a1' }]);
    expect(calls).toEqual([['error', { conn: 'a1' }, err, 'failed']]);
  });

  it('is the silent logger itself over the silent logger, which logs at no level', () => {
    expect(lazyChildLogger(silentLogger, { conn: 'a1' })).toBe(silentLogger);
    expect(silentLogger.isLevelEnabled?.('error')).toBe(false);
  });

  describe('over a real pino logger', () => {
    it('writes the JSON an eager pino child writes: bindings first, then the fields and the message', () => {
      const { logger, lines } = pinoInto('info');
      const lazy = lazyChildLogger(logger, { conn: 'a1', remote: '127.0.0.1:4000' });
      lazy.info({ worker: 'alice.rig1' }, 'worker authorized');
      lazy.child({ dialect: 'bitcoin', side: 'server' }).warn({ pending: 129 });
      expect(lines).toEqual([
        '{"level":30,"conn":"a1","remote":"127.0.0.1:4000","worker":"alice.rig1","msg":"worker authorized"}',
        '{"level":40,"conn":"a1","remote":"127.0.0.1:4000","dialect":"bitcoin","side":"server","pending":129}',
      ]);
      // the same lines as pino's own child
      const eager = pinoInto('info');
      eager.logger.child({ conn: 'a1', remote: '127.0.0.1:4000' }).info({ worker: 'alice.rig1' }, 'worker authorized');
      eager.logger.child({ conn: 'a1', remote: '127.0.0.1:4000' }).child({ dialect: 'bitcoin', side: 'server' }).warn({ pending: 129 });
      expect(eager.lines).toEqual(lines);
    });

    it('writes nothing for a debug call on an info-level logger', () => {
      const { logger, lines } = pinoInto('info');
      const lazy = lazyChildLogger(logger, { conn: 'a1' });
      lazy.debug({ n: 1 }, 'not written');
      lazy.child({ dialect: 'bitcoin' }).debug({ n: 2 }, 'not written either');
      expect(lines).toEqual([]);
      expect(lazy.isLevelEnabled?.('debug')).toBe(false);
      expect(lazy.isLevelEnabled?.('info')).toBe(true);
    });

    it('writes an Error given as the object as pino does', () => {
      const { logger, lines } = pinoInto('info');
      lazyChildLogger(logger, { conn: 'a1' }).error(new Error('boom'));
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]) as { level: number; conn: string; err: { type: string; message: string; stack: string }; msg: string };
      expect(line).toMatchObject({ level: 50, conn: 'a1', err: { type: 'Error', message: 'boom' }, msg: 'boom' });
      expect(line.err.stack).toMatch(/^Error: boom\n/);
    });
  });
});
