import type { CreateSessionOptions } from '@lode/pool-engine';
import type { ProxyPortConfig } from '../config/proxy-config';

/**
 * The engine session options of a new downstream connection on a port: its
 * difficulty settings (initial difficulty, and vardiff when configured) and
 * the port's dialect (the `dialect` label of the engine's metrics). Copied from apps/pool/src/ports/session-options.ts
 * (apps do not import apps).
 *
 * @param remoteAddress the peer's address ("127.0.0.1"; "unknown" when the socket has none)
 */
export function sessionOptionsFor(config: ProxyPortConfig, remoteAddress: string | undefined): CreateSessionOptions {
  const { difficulty } = config;
  return {
    remoteAddress: remoteAddress ?? 'unknown',
    dialect: config.dialect,
    port: config.port,
    initialDifficulty: difficulty.initial,
    vardiff: difficulty.vardiff && {
      targetShareSeconds: difficulty.vardiff.targetShareSeconds,
      retargetSeconds: difficulty.vardiff.retargetSeconds,
      variancePercent: difficulty.vardiff.variancePercent,
      minDifficulty: difficulty.vardiff.min,
      maxDifficulty: difficulty.vardiff.max,
    },
  };
}
