import { shareReasonLabel } from './share-reason';

describe('shareReasonLabel', () => {
  it('classes the wordings pools use, then the Stratum v1 codes, else "other"', () => {
    expect(shareReasonLabel('Duplicate share')).toBe('duplicate');
    expect(shareReasonLabel('Job not found (stale)')).toBe('stale');
    expect(shareReasonLabel('Job not found')).toBe('stale');
    expect(shareReasonLabel("unknown job id 'feedface99'")).toBe('unknown-job');
    expect(shareReasonLabel('Low difficulty share')).toBe('low-difficulty');
    expect(shareReasonLabel('high-hash')).toBe('low-difficulty');
    expect(shareReasonLabel('Unauthorized worker')).toBe('unauthorized');
    expect(shareReasonLabel('Not subscribed')).toBe('not-subscribed');
    expect(shareReasonLabel('', 22)).toBe('duplicate');
    expect(shareReasonLabel('nope', 21)).toBe('stale');
    expect(shareReasonLabel('bad nonce', 20)).toBe('other');
    expect(shareReasonLabel('')).toBe('none');
  });
});
