import { LodeError } from '@lode/stratum-core';
import { parseWarthogBody, serializeWarthogBody } from './warthog-body';

// facts/warthog.md §6-H: the template body behind the synthetic job (account 0x12345, 3 WART)
const TEMPLATE_BODY = '0000000000000000000000000000000000012345' + '0000000011e1a300';

describe('parseWarthogBody', () => {
  describe('when given the template body of §6-H', () => {
    it('reads a zero extranonce, no new addresses, the reward and no transfers', () => {
      const body = parseWarthogBody(Buffer.from(TEMPLATE_BODY, 'hex'));
      expect(body).toEqual({ extranonce: Buffer.alloc(10), newAddresses: [], reward: { accountId: 0x12345n, amountE8: 300_000_000n }, transfers: [] });
      expect(serializeWarthogBody(body).toString('hex')).toBe(TEMPLATE_BODY);
    });
  });

  describe('when the bytes do not add up', () => {
    it.each([
      ['too short for the reward', TEMPLATE_BODY.slice(0, -2), /shorter than/],
      ['a transfer count cut short', `${TEMPLATE_BODY}0000`, /transfer count is cut short/],
      ['a transfer of the wrong size', `${TEMPLATE_BODY}00000001${'00'.repeat(98)}`, /1 transfers need 99 bytes, 98 remain/],
      ['new addresses that are not there', `${'00'.repeat(10)}0001${'00'.repeat(16)}`, /1 new addresses and the reward do not fit/],
    ])('throws a protocol error for %s', (_name, hex, message) => {
      const parse = (): unknown => parseWarthogBody(Buffer.from(hex, 'hex'));
      expect(parse).toThrow(LodeError);
      expect(parse).toThrow(message);
    });
  });
});
