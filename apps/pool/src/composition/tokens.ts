import type { ServiceIdentifier } from 'inversify';
import type { PoolConfig } from '../config/pool-config';

/** The validated pool config, bound once as a value (DESIGN.md "DI and streams"). */
export const POOL_CONFIG: ServiceIdentifier<PoolConfig> = Symbol.for('lode.PoolConfig');
