import type { UpstreamConnector } from '../core/upstream-link';
import { BitcoinUpstreamLink } from './bitcoin-upstream-link';

/**
 * The Stratum v1 (Bitcoin) {@link UpstreamConnector}: opens a
 * {@link BitcoinUpstreamLink} (mining.configure asking version-rolling mask
 * ffffffff, subscribe, extranonce.subscribe, authorize, first job).
 *
 * @throws LodeError('config') for a bad URL; LodeError('connection') when the
 *   upstream cannot be reached or refuses
 */
export const connectBitcoinUpstream: UpstreamConnector = (endpoint, options) =>
  BitcoinUpstreamLink.open(endpoint, {
    diff1Target: options.diff1Target,
    connectTimeoutMs: options.connectTimeoutMs,
    userAgent: options.userAgent,
    logger: options.logger,
  });
