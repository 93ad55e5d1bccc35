import { parseHexNumber, toHexNumber } from '@lode/stratum-core';
import { EthStratumErrors } from '../../errors';
import { show } from '../../messages/show';
import { fail, handlerFailure, malformedReply, ok } from '../method-context';
import type { EthServerMethodContext, MethodReply } from '../method-context';
import { isReply, readStringParams } from '../read-params';

/** A hashrate is at most 32 bytes (spec: "a hexadecimal string representation (32 bytes)"). */
const MAX_HASHRATE = (1n << 256n) - 1n;

/**
 * `mining.hashrate [hashrate (hex), workerToken]` from a miner -> `{"id":n}`,
 * or `["<pool's figure, hex>", token]` when the pool's handler returns one.
 *
 * - exactly two strings -> else 400; subscribed -> else 302; the token
 *   issued in this session -> else 301;
 * - the hashrate a strict hex number (lower case, no leading zeros, at most
 *   32 bytes) -> else 400 naming it;
 * - a report of the same worker sooner than `hashrateMinIntervalMs` after
 *   its last accepted one -> 220 "Enhance your calm. Too many requests".
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Hashrate" / "Client communicates it's hashrate to server"
 */
export async function handleHashrate(ctx: EthServerMethodContext, params: unknown): Promise<MethodReply> {
  const read = readStringParams('mining.hashrate', params, ['hashrate', 'workerToken']);
  if (isReply(read)) return read;
  const [hashrateHex, token] = read;
  const { state, options } = ctx;
  if (state.subscribe !== 'done') return fail(EthStratumErrors.NOT_SUBSCRIBED, 'send mining.subscribe first');
  const workerName = state.workersByToken.get(token);
  if (workerName === undefined) {
    return fail(EthStratumErrors.UNKNOWN_WORKER, `token ${show(token)} was not issued in this session; authorize the worker first`);
  }
  let hashrate: bigint;
  try {
    hashrate = parseHexNumber(hashrateHex);
  } catch (err) {
    return malformedReply(`mining.hashrate parameter 1 (hashrate): ${(err as Error).message}`);
  }
  if (hashrate > MAX_HASHRATE) return malformedReply('mining.hashrate parameter 1 (hashrate) is over 32 bytes');

  const now = options.now();
  const last = state.lastHashrateAt.get(workerName);
  if (last !== undefined && now - last < options.hashrateMinIntervalMs) {
    return fail(
      EthStratumErrors.TOO_MANY_REQUESTS,
      `at most one report per ${options.hashrateMinIntervalMs / 1000} s per worker`,
    );
  }
  state.lastHashrateAt.set(workerName, now);

  let figure: bigint | undefined;
  try {
    figure = await ctx.handler.hashrate?.({ workerName, hashrate });
  } catch (err) {
    return handlerFailure(ctx, 'mining.hashrate', err);
  }
  if (figure === undefined) return ok();
  if (typeof figure !== 'bigint' || figure < 0n) {
    ctx.logger.error({ figure: show(figure) }, 'hashrate handler returned something other than a bigint >= 0; sending the bare ack');
    return ok();
  }
  return ok([toHexNumber(figure), token]);
}
