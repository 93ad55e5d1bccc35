import type { CreateSessionOptions } from '@lode/pool-engine';
import type { PortConfig } from '../config/pool-config';

/**
 * The engine session options of a new connection on a port: its difficulty
 * settings (initial difficulty, and vardiff when configured) mapped to
 * CreateSessionOptions, whatever the port's dialect.
 *
 * @param remoteAddress the peer's address ("127.0.0.1"; "unknown" when the socket has none)
 */
export function sessionOptionsFor(config: PortConfig, remoteAddress: string | undefined): CreateSessionOptions {
  const { difficulty } = config;
  return {
    remoteAddress: remoteAddress ?? 'unknown',
    port: config.port,
    dialect: config.dialect,
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
