import { UserAgentLabels, userAgentName } from './user-agent';

describe('userAgentName', () => {
  it('keeps the name up to the first slash, and names an empty agent "none"', () => {
    expect(userAgentName('cpuminer/2.5.1')).toBe('cpuminer');
    expect(userAgentName('bmminer/2.0.0/Antminer S9')).toBe('bmminer');
    expect(userAgentName('')).toBe('none');
    expect(userAgentName('a"b{c}')).toBe('a_b_c_');
  });
});

describe('UserAgentLabels', () => {
  it('keeps 50 names, then answers "other" for new ones and still the name for known ones', () => {
    const labels = new UserAgentLabels();
    for (let i = 0; i < 50; i++) expect(labels.label(`agent${i}/1.0`)).toBe(`agent${i}`);
    expect(labels.label('agent50/1.0')).toBe('other');
    expect(labels.label('agent7/2.0')).toBe('agent7');
  });
});
