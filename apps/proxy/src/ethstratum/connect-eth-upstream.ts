import type { UpstreamConnector } from '../core/upstream-link';
import { EthUpstreamLink } from './eth-upstream-link';

/**
 * The EthereumStratum/2.0.0 {@link UpstreamConnector}: opens an
 * {@link EthUpstreamLink} (hello, subscribe, authorize, first job).
 * `diff1Target` is not needed: EIP-1571 sends targets, not difficulties.
 *
 * @throws LodeError('config') for a bad URL; LodeError('connection') when the
 *   upstream cannot be reached or refuses
 */
export const connectEthUpstream: UpstreamConnector = (endpoint, options) =>
  EthUpstreamLink.open(endpoint, { connectTimeoutMs: options.connectTimeoutMs, userAgent: options.userAgent, logger: options.logger });
