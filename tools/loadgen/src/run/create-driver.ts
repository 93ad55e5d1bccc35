import { parseStratumUrl } from '@lode/stratum-core';
import { createBitcoinDriver } from '../dialects/bitcoin/bitcoin-driver';
import type { DialectDriver, DialectName } from '../dialects/dialect-driver';
import { createEs2Driver } from '../dialects/es2/es2-driver';
import { createWarthogDriver } from '../dialects/warthog/warthog-driver';

/**
 * The driver of a dialect.
 *
 * @param dialect bitcoin, warthog or es2
 * @param url the pool URL (ES2 sends host and port in `mining.hello`)
 * @throws LodeError('plugin') when the dialect's native hasher is not built
 */
export function createDriver(dialect: DialectName, url: string): DialectDriver {
  switch (dialect) {
    case 'bitcoin':
      return createBitcoinDriver();
    case 'warthog':
      return createWarthogDriver();
    case 'es2': {
      const { host, port } = parseStratumUrl(url);
      return createEs2Driver(host, port);
    }
  }
}
