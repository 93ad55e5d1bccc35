import { timedPort } from './timed-port';

/** A port with a private field, an async method, a failing one, a synchronous one and a getter. */
class FakePort {
  #saved: string[] = [];
  async save(value: string): Promise<number> {
    this.#saved.push(value);
    return this.#saved.length;
  }
  async fail(): Promise<void> {
    throw new Error('redis is away');
  }
  stop(): string {
    return 'stopped';
  }
  get count(): number {
    return this.#saved.length;
  }
}

describe('timedPort', () => {
  it('records every promise-returning call as "<port>.<method>" with its outcome, and passes the rest through', async () => {
    const calls: [string, number, boolean][] = [];
    const port = timedPort(new FakePort(), 'sessions', (op, seconds, ok) => calls.push([op, seconds, ok]));
    expect(await port.save('a')).toBe(1);
    expect(await port.save('b')).toBe(2);
    await expect(port.fail()).rejects.toThrow('redis is away');
    expect(port.stop()).toBe('stopped');
    expect(port.count).toBe(2);
    expect(calls.map(([op, , ok]) => [op, ok])).toEqual([
      ['sessions.save', true],
      ['sessions.save', true],
      ['sessions.fail', false],
    ]);
    for (const [, seconds] of calls) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('keeps the call working when the recorder throws', async () => {
    const port = timedPort(new FakePort(), 'shares', () => {
      throw new Error('broken metrics');
    });
    expect(await port.save('a')).toBe(1);
  });
});
