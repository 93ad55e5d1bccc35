import { formatWarthogLogLine } from './warthog-log-lines';

describe('formatWarthogLogLine', () => {
  describe('when asked for JSON', () => {
    it('prints the event and its fields as one object', () => {
      const line = formatWarthogLogLine({ event: 'rejected', name: 'EMROOT', code: 17, error: 'merkle root mismatch', detail: 'd', height: 5 }, true);
      expect(JSON.parse(line)).toEqual({ event: 'rejected', name: 'EMROOT', code: 17, error: 'merkle root mismatch', detail: 'd', height: 5 });
    });
  });

  describe('when a request was refused before it named a height', () => {
    it('prints the reason and the detail alone', () => {
      const line = formatWarthogLogLine({ event: 'rejected', name: 'EINV_ARGS', code: 95, error: 'invalid API arguments', detail: 'the request is not a JSON object {height, header, body}' }, false);
      expect(line).toBe('devnet: block rejected: invalid API arguments (the request is not a JSON object {height, header, body})');
    });
  });
});
