/**
 * The EthereumStratum/2.0.0 method names.
 *
 * Client -> server requests: hello, subscribe, authorize, submit, hashrate,
 * noop. Server -> client notifications: set, notify, hashrate (object
 * params), reconnect, bye. `mining.bye` also goes client -> server.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Protocol Flow" and the sections named after each method
 */
export const EthMethods = {
  HELLO: 'mining.hello',
  SUBSCRIBE: 'mining.subscribe',
  AUTHORIZE: 'mining.authorize',
  SUBMIT: 'mining.submit',
  HASHRATE: 'mining.hashrate',
  NOOP: 'mining.noop',
  SET: 'mining.set',
  NOTIFY: 'mining.notify',
  RECONNECT: 'mining.reconnect',
  BYE: 'mining.bye',
} as const;

/**
 * The `proto` string of `mining.hello`; the server's reply MUST match it
 * exactly (specs/003_fafafa51dc5fa36a.txt "Session Handling - Hello").
 */
export const ETH_STRATUM_PROTO = 'EthereumStratum/2.0.0';

/** A full ethash nonce is 8 bytes (64 bits): extranonce bytes + miner nonce bytes. */
export const NONCE_BYTES = 8;

/**
 * The longest extranonce a server may assign, in bytes ("pools ... MUST
 * observe a maximum length of 6 bytes", specs/003_fafafa51dc5fa36a.txt "A
 * detail of extranonce"), which leaves the miner at least 2 bytes of nonce.
 */
export const MAX_EXTRANONCE_BYTES = 6;

/**
 * The boundary a client assumes while the server never set one:
 * `0x00000000ffff0000000000000000000000000000000000000000000000000000`
 * (specs/003_fafafa51dc5fa36a.txt "Prepare for mining", member `target`).
 */
export const DEFAULT_TARGET = 0xffffn << 208n;

/** The algorithm a client assumes while the server never set one ("ethash"). */
export const DEFAULT_ALGO = 'ethash';
