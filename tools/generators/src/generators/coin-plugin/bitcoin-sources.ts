/** The Bitcoin plugin, whose sources a bitcoin-dialect plugin starts from. */
export const COIN_BITCOIN_ROOT = 'plugins/coin-bitcoin';

/**
 * The files (under plugins/coin-bitcoin/src) a bitcoin-dialect plugin gets
 * copies of: everything a Bitcoin-style 80-byte header, coinbase, merkle
 * branch, block and bitcoind-compatible JSON-RPC node client need. They
 * import only each other, @lode/plugin-api, @lode/mining, rxjs, bitcoinjs-lib
 * and node:*. The plugin class, its config, job type, module, target maths and
 * native hasher are templates (files/bitcoin, files/common).
 */
export const BITCOIN_DIALECT_SOURCES: readonly string[] = [
  'block/serialize-block.ts',
  'coinbase/bip34-height-push.ts',
  'coinbase/bitcoin-network.ts',
  'coinbase/build-coinbase.ts',
  'coinbase/payout-script.ts',
  'coinbase/with-coinbase-witness.ts',
  'encoding/compact-size.ts',
  'encoding/hex.ts',
  'hash/sha256d.ts',
  'header/build-header.ts',
  'header/display-hash.ts',
  'header/prevhash.ts',
  'header/rolled-version.ts',
  'merkle/merkle-branches.ts',
  'merkle/merkle-root-from-branches.ts',
  'node/bitcoin-node.ts',
  'node/to-coin-template.ts',
  'rpc/bitcoind-rpc-client.ts',
  'rpc/block-template.ts',
];
