/* Key layout */
export { RedisKeys } from './keys/redis-keys';
export type { RedisKeysOptions } from './keys/redis-keys';

/* Share log with a no-loss local spool */
export { RedisShareStore } from './shares/redis-share-store';
export type { RedisShareStoreCounters, RedisShareStoreOptions } from './shares/redis-share-store-options';
export { ShareSpool } from './shares/share-spool';
export { SHARE_FIELD_NAMES, shareRecordFromFields, shareRecordToFields } from './shares/share-fields';

/* Cluster-wide duplicates */
export { RedisDuplicateIndex } from './duplicates/redis-duplicate-index';
export type { RedisDuplicateIndexOptions } from './duplicates/redis-duplicate-index';

/* Session resume */
export { RedisSessionStore } from './sessions/redis-session-store';
export type { RedisSessionStoreOptions } from './sessions/redis-session-store';

/* Extranonce1 prefixes and claims */
export { RedisExtranonceLeases } from './leases/redis-extranonce-leases';
export type { RedisExtranonceLeasesOptions } from './leases/redis-extranonce-leases';

/* Job bus */
export { RedisTemplateBus } from './bus/redis-template-bus';
export type { RedisTemplateBusOptions } from './bus/redis-template-bus';
export { RedisBusNode } from './bus/redis-bus-node';

/* Accounting */
export { ShareAccountant } from './accounting/share-accountant';
export type { ShareAccountantOptions } from './accounting/share-accountant-options';
export type { AccountingScheme } from './accounting/accounting-scheme';
export type { AccountingStats, PoolAccount } from './accounting/accounting-stats';
export type { WorkerAccount } from './accounting/worker-account';
export type { BlockAccount } from './accounting/block-account';
export type { AccountingEvent } from './accounting/accounting-event';
export { accountingKeys } from './accounting/accounting-keys';
export type { AccountingKeys } from './accounting/accounting-keys';
export { bitcoinBlockReward } from './accounting/bitcoin-block-reward';
