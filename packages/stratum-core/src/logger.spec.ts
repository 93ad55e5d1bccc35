import { lazyChildLogger, type LodeLogger, silentLogger } from './logger';

/** A logger that records what it is asked, and the children made of it. */
function recorder(): { logger: LodeLogger; calls: unknown[][]; children: object[] } {
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
  });
  return { logger: make({}), calls, children };
}

describe('lazyChildLogger', () => {
  it('makes no child until the first log call, then exactly one', () => {
    const { logger, calls, children } = recorder();
    const lazy = lazyChildLogger(logger, { conn: 'a1', remote: '127.0.0.1:4000' });
    expect(children).toEqual([]);
    lazy.info({ worker: 'alice.rig1' }, 'worker authorized');
    lazy.warn({ pending: 129 });
    lazy.debug({}, 'x');
    lazy.error({ err: 'boom' }, 'y');
    expect(children).toEqual([{ conn: 'a1', remote: '127.0.0.1:4000' }]);
    const bound = { conn: 'a1', remote: '127.0.0.1:4000' };
    expect(calls).toEqual([
      ['info', bound, { worker: 'alice.rig1' }, 'worker authorized'],
      // no message given, none passed on
      ['warn', bound, { pending: 129 }],
      ['debug', bound, {}, 'x'],
      ['error', bound, { err: 'boom' }, 'y'],
    ]);
  });

  it('makes children of the one child', () => {
    const { logger, calls, children } = recorder();
    lazyChildLogger(logger, { conn: 'a1' }).child({ dialect: 'bitcoin' }).info({ n: 1 });
    expect(children).toEqual([{ conn: 'a1' }, { dialect: 'bitcoin' }]);
    expect(calls).toEqual([['info', { conn: 'a1', dialect: 'bitcoin' }, { n: 1 }]]);
  });

  it('is the silent logger itself over the silent logger', () => {
    expect(lazyChildLogger(silentLogger, { conn: 'a1' })).toBe(silentLogger);
  });
});
