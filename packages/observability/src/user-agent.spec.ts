import { userAgentName } from './user-agent';

describe('userAgentName', () => {
  it('keeps the name up to the first slash, and names an empty agent "none"', () => {
    expect(userAgentName('cpuminer/2.5.1')).toBe('cpuminer');
    expect(userAgentName('bmminer/2.0.0/Antminer S9')).toBe('bmminer');
    expect(userAgentName('')).toBe('none');
    expect(userAgentName('a"b{c}')).toBe('a_b_c_');
  });
});
