import { readApiSettings } from './read-api-settings';

describe('readApiSettings', () => {
  describe('when the section has only host and port', () => {
    it('sets only those, so the read API defaults apply', () => {
      expect(readApiSettings({ host: '127.0.0.1', port: 8080 })).toEqual({ host: '127.0.0.1', port: 8080 });
    });
  });

  describe('when the section sets the history and the dashboard', () => {
    it('passes them through', () => {
      expect(readApiSettings({ host: '0.0.0.0', port: 0, historyIntervalSeconds: 1, historyPoints: 60, dashboard: false })).toEqual({
        host: '0.0.0.0',
        port: 0,
        historyIntervalSeconds: 1,
        historyPoints: 60,
        dashboard: false,
      });
    });
  });
});
