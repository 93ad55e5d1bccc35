import type { UpstreamEndpoint } from '../core/upstream-link';
import type { UpstreamConnector } from '../core/upstream-link';
import { WarthogUpstreamLink } from './warthog-upstream-link';

/**
 * The Warthog stratum {@link UpstreamConnector}: opens a
 * {@link WarthogUpstreamLink} (subscribe, authorize, first job). Job targets
 * are `floor(options.diff1Target / difficulty)`.
 *
 * `options.legacySubmit` (an optional member beyond the connector contract)
 * switches the link to the 5-parameter submit that names a worker, for
 * credentials passed through per miner.
 *
 * @throws LodeError('config') for a bad URL; LodeError('connection') when the
 *   upstream cannot be reached or refuses
 */
export const connectWarthogUpstream = ((
  endpoint: UpstreamEndpoint,
  options: Parameters<UpstreamConnector>[1] & { legacySubmit?: boolean },
) => WarthogUpstreamLink.open(endpoint, options)) satisfies UpstreamConnector;
