/**
 * The Warthog node's error codes and messages that its mining API answers
 * with (`{"code": <code>, "error": <message>}`), as upstream's
 * ADDITIONAL_ERRNO_MAP. Only the ones the devnet uses.
 *
 * @see NODE src/shared/src/general/errors.hpp; facts/warthog.md §4.1, §4.3
 */
export const WARTHOG_NODE_ERRORS = {
  /** prevHash is not the head's hash */
  EHEADERLINK: { code: 9, error: 'bad header link' },
  /** Janushash of the header is not below its target (or sha256t < 0.005) */
  EPOW: { code: 10, error: 'bad proof of work' },
  /** median or time-drop rule */
  ETIMESTAMP: { code: 11, error: 'timestamp rule violated' },
  /** the header's target field is not the chain's next target */
  EDIFFICULTY: { code: 12, error: 'wrong difficulty in block header' },
  /** the header's merkle root is not SHA-256(merklePrefix(body) ‖ body[0..10]) */
  EMROOT: { code: 17, error: 'merkle root mismatch' },
  /** timestamp more than 600 s ahead of the node's clock */
  ECLOCKTOLERANCE: { code: 31, error: 'clock tolerance exceeded' },
  /** no such route */
  ENOTFOUND: { code: 57, error: 'not found' },
  /** `/chain/mine/:account` with an address that does not parse */
  EBADADDRESS: { code: 72, error: 'invalid address' },
  /** `/chain/append` for a height that is not the next one (stale work) */
  EMINEDDEPRECATED: { code: 77, error: 'submitted deprecated block' },
  /** header version is not 3 */
  EBLOCKVERSION: { code: 84, error: 'unsupported block version' },
  /** the body does not parse, or holds other items than the node's template */
  EINV_BODY: { code: 90, error: 'malformed body data' },
  /** `/chain/append` JSON that is not {height, header, body} */
  EINV_ARGS: { code: 95, error: 'invalid API arguments' },
  /** a header or body that is not hex */
  EINV_HEX: { code: 101, error: 'cannot parse hexadecimal input' },
} as const;

/** One of {@link WARTHOG_NODE_ERRORS}' names. */
export type WarthogNodeErrorName = keyof typeof WARTHOG_NODE_ERRORS;
