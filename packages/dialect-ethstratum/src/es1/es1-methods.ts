/**
 * The protocol string of NiceHash EthereumStratum/1.0.0: `params[1]` of the
 * miner's `mining.subscribe`, echoed as `result[0][2]` of the reply.
 *
 * @see facts/ethash.md §1.2
 */
export const ES1_PROTOCOL = 'EthereumStratum/1.0.0';

/** Method names of EthereumStratum/1.0.0 (facts/ethash.md §1.2, §1.6). */
export const Es1Methods = {
  SUBSCRIBE: 'mining.subscribe',
  EXTRANONCE_SUBSCRIBE: 'mining.extranonce.subscribe',
  AUTHORIZE: 'mining.authorize',
  SUBMIT: 'mining.submit',
  /** ethminer sends it in ES1 too (the spec has no hashrate method) */
  SUBMIT_HASHRATE: 'eth_submitHashrate',
  SET_DIFFICULTY: 'mining.set_difficulty',
  SET_EXTRANONCE: 'mining.set_extranonce',
  NOTIFY: 'mining.notify',
} as const;

/** Bytes of an ethash nonce: extranonce ‖ miner nonce. */
export const ES1_NONCE_BYTES = 8;

/** Most extranonce bytes a pool may assign in ES1 ("at most 3 bytes", facts/ethash.md §1.2). */
export const ES1_MAX_EXTRANONCE_BYTES = 3;
