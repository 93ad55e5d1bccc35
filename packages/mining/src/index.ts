/* Difficulty and target */
export { BITCOIN_DIFF1_TARGET } from './difficulty/bitcoin-diff1-target';
export { MAX_TARGET } from './difficulty/max-target';
export { targetFromDifficulty } from './difficulty/target-from-difficulty';
export { difficultyFromTarget } from './difficulty/difficulty-from-target';
export { hashToBigInt } from './difficulty/hash-to-big-int';
export { hashToNumber } from './difficulty/hash-to-number';
export { hashAtMostTarget } from './difficulty/hash-at-most-target';
export { targetToHex } from './difficulty/target-to-hex';
export { decodeCompact } from './difficulty/decode-compact';
export type { DecodedCompact } from './difficulty/decoded-compact';
export { targetFromCompact } from './difficulty/target-from-compact';
export { compactFromTarget } from './difficulty/compact-from-target';
export { shareDifficulty } from './difficulty/share-difficulty';

/* Extranonce allocation */
export { ExtranonceAllocator } from './extranonce/extranonce-allocator';
export type { ExtranonceAllocatorOptions } from './extranonce/extranonce-allocator-options';

/* Job ledger: difficulty belongs to the job */
export { JobLedger } from './ledger/job-ledger';
export type { JobLedgerOptions } from './ledger/job-ledger-options';
export type { LedgerEntry } from './ledger/ledger-entry';
export { resolveShareTarget } from './ledger/resolve-share-target';

/* Variable difficulty */
export { Vardiff } from './vardiff/vardiff';
export type { VardiffOptions } from './vardiff/vardiff-options';

/* Share verdicts */
export { SHARE_REJECT_REASONS } from './verdict/share-reject-reasons';
export type { ShareRejectReason } from './verdict/share-reject-reason';
export type { ShareVerdict } from './verdict/share-verdict';

/* Hashrate */
export { formatHashrate } from './hashrate/format-hashrate';
