import { parseHexNumber } from '@lode/stratum-core';
import { ethError, EthStratumErrors } from '../../errors';
import { encodeHelloResult, MAX_HELLO_STRING } from '../../messages/hello';
import { ETH_STRATUM_PROTO } from '../../messages/methods';
import { isRecord, show } from '../../messages/show';
import { malformedReply, ok } from '../method-context';
import type { EthServerMethodContext, MethodReply } from '../method-context';

function readText(params: Record<string, unknown>, name: string): string | MethodReply {
  const value = params[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_HELLO_STRING) {
    return malformedReply(
      `mining.hello member ${name} is ${show(value)}, expected a string of 1..${MAX_HELLO_STRING} characters`,
    );
  }
  return value;
}

/**
 * `mining.hello {agent, host, port, proto}` -> `{proto, encoding, resume, timeout, maxerrors, node}`.
 *
 * - It must be the first request (the session answers anything else first
 *   with 400) and is answered once; a second one gets 400.
 * - `proto` other than exactly "EthereumStratum/2.0.0" (missing included)
 *   -> 400 "Bad protocol request: ..." and the connection closes.
 * - `agent` and `host` strings of 1..256 characters, `port` a strict hex
 *   number (lower case, no leading zeros) in 1..65535 -> else 400 naming the member.
 * - The reply carries all six members, which ethminer requires. With
 *   encoding "gzip" the peer switches to `gzipLineCodec` right after it.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Hello"; facts/ethash.md §1.3
 */
export function handleHello(ctx: EthServerMethodContext, params: unknown): MethodReply {
  const { state, options } = ctx;
  if (state.hello !== undefined) return malformedReply('mining.hello was already answered on this connection', 'not-request');
  if (!isRecord(params)) {
    return malformedReply(`mining.hello takes an object {agent, host, port, proto}, got ${show(params)}`);
  }
  const proto = params['proto'];
  if (proto !== ETH_STRATUM_PROTO) {
    const detail = `proto ${show(proto)} is not "${ETH_STRATUM_PROTO}"`;
    return {
      error: ethError(EthStratumErrors.BAD_PROTOCOL, detail),
      malformed: 'bad-params',
      after: () => ctx.close(`mining.hello refused: ${detail}`),
    };
  }
  const agent = readText(params, 'agent');
  if (typeof agent !== 'string') return agent;
  const host = readText(params, 'host');
  if (typeof host !== 'string') return host;
  let port: bigint;
  try {
    port = parseHexNumber(params['port']);
  } catch (err) {
    return malformedReply(`mining.hello member port: ${(err as Error).message}`);
  }
  if (port < 1n || port > 65535n) {
    return malformedReply(`mining.hello member port ${show(params['port'])} is not a TCP port (1..ffff)`);
  }

  state.hello = { agent, host, port: Number(port), proto };
  const reply = ok(
    encodeHelloResult({
      proto: ETH_STRATUM_PROTO,
      encoding: options.encoding,
      resume: options.resume,
      timeoutSeconds: options.timeoutSeconds,
      maxErrors: options.maxErrors,
      node: options.node,
    }),
  );
  if (options.encoding === 'gzip') reply.after = () => ctx.switchToGzip();
  return reply;
}
