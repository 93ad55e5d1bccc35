import { matchReadApiRoute } from './read-api-route';

describe('matchReadApiRoute', () => {
  describe('when the path is an API route', () => {
    it.each([
      ['/health', { kind: 'health' }],
      ['/health/', { kind: 'health' }],
      ['/api/ports', { kind: 'ports' }],
      ['/api/stats/btc', { kind: 'stats', coin: 'btc' }],
      ['/api/history/btc', { kind: 'history', coin: 'btc', since: null }],
      ['/api/history/btc?since=1700000000000', { kind: 'history', coin: 'btc', since: '1700000000000' }],
      ['/api/workers/btc?limit=5', { kind: 'workers', coin: 'btc', limit: '5' }],
      ['/api/workers/btc/addr.rig%201', { kind: 'worker', coin: 'btc', worker: 'addr.rig 1' }],
      ['/api/miners/eth/0xAbC?blocks=3', { kind: 'miner', coin: 'eth', address: '0xAbC', blocks: '3' }],
      ['/api/blocks/btc?limit=2', { kind: 'blocks', coin: 'btc', limit: '2' }],
    ])('recognises %s', (target, route) => {
      expect(matchReadApiRoute(target)).toEqual(route);
    });
  });

  describe('when the path is the dashboard', () => {
    it.each([
      ['/', { kind: 'redirect', location: 'dashboard/' }],
      ['/dashboard', { kind: 'redirect', location: 'dashboard/' }],
      ['/dashboard/', { kind: 'static', file: 'index.html' }],
      ['/dashboard/?coin=btc', { kind: 'static', file: 'index.html' }],
      ['/dashboard/dashboard.js', { kind: 'static', file: 'dashboard.js' }],
      ['/dashboard/chart.umd.js', { kind: 'static', file: 'chart.umd.js' }],
    ])('recognises %s', (target, route) => {
      expect(matchReadApiRoute(target)).toEqual(route);
    });
  });

  describe('when the path has a dot segment, an encoded separator or an empty segment', () => {
    it.each([
      '/dashboard/../package.json',
      '/dashboard/%2e%2e/package.json',
      '/dashboard/%2E%2E',
      '/dashboard/..%2fpackage.json',
      '/dashboard/..%5cpackage.json',
      '/dashboard/.env',
      '/dashboard//x',
      '/api/../health',
      '/api/./stats/btc',
      '/api/stats/%zz',
      'api/stats/btc',
      'http://evil.example/health',
    ])('matches nothing for %s', (target) => {
      expect(matchReadApiRoute(target)).toBeUndefined();
    });
  });
});
