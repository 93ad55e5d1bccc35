import { RejectEscalation } from './reject-escalation';

/** a clock the test moves by hand, in seconds */
function clock(): { now: () => number; at: (seconds: number) => void } {
  let t = 1_700_000_000_000;
  const start = t;
  return { now: () => t, at: (seconds) => (t = start + seconds * 1000) };
}

describe('RejectEscalation (ckpool: 60 s resend, 120 s reconnect, 180 s drop)', () => {
  it('escalates a streak of invalid shares step by step, each step once', () => {
    const c = clock();
    const e = new RejectEscalation({ now: c.now });
    c.at(0);
    expect(e.record(false)).toBeUndefined();
    expect(e.invalidSince).toBe(c.now());
    c.at(59.999);
    expect(e.record(false)).toBeUndefined();
    c.at(60);
    expect(e.record(false)).toBe('resend-work');
    c.at(90);
    expect(e.record(false)).toBeUndefined();
    c.at(120);
    expect(e.record(false)).toBe('reconnect');
    c.at(150);
    expect(e.record(false)).toBeUndefined();
    c.at(180);
    expect(e.record(false)).toBe('drop');
    expect(e.lastAction).toBe('drop');
    c.at(240);
    expect(e.record(false)).toBeUndefined();
  });

  it('starts over after any valid share', () => {
    const c = clock();
    const e = new RejectEscalation({ now: c.now });
    c.at(0);
    e.record(false);
    c.at(61);
    expect(e.record(false)).toBe('resend-work');
    c.at(62);
    expect(e.record(true)).toBeUndefined();
    expect(e.invalidSince).toBeUndefined();
    expect(e.lastAction).toBeUndefined();
    c.at(125);
    expect(e.record(false)).toBeUndefined(); // a new streak starts at 125 s
    c.at(184);
    expect(e.record(false)).toBeUndefined(); // 59 s into it
    c.at(185);
    expect(e.record(false)).toBe('resend-work');
  });

  it('gives only the most severe due step when shares come late', () => {
    const c = clock();
    const e = new RejectEscalation({ now: c.now });
    c.at(0);
    e.record(false);
    c.at(130);
    expect(e.record(false)).toBe('reconnect');
    c.at(500);
    expect(e.record(false)).toBe('drop');
  });

  it('takes configured thresholds, and 0 skips a step', () => {
    const c = clock();
    const e = new RejectEscalation({ now: c.now, resendWorkSeconds: 1, reconnectSeconds: 0, dropSeconds: 3 });
    c.at(0);
    e.record(false);
    c.at(1);
    expect(e.record(false)).toBe('resend-work');
    c.at(2.5);
    expect(e.record(false)).toBeUndefined();
    c.at(3);
    expect(e.record(false)).toBe('drop');
  });

  it('refuses thresholds out of order or negative', () => {
    expect(() => new RejectEscalation({ resendWorkSeconds: 120, reconnectSeconds: 60 })).toThrow(/must increase: reconnect at 60 s is not after resend-work at 120 s/);
    expect(() => new RejectEscalation({ dropSeconds: -1 })).toThrow(/-1 s is not a number >= 0/);
  });
});
