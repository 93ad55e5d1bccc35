import type { BlockAccount } from './block-account';

/**
 * What {@link ShareAccountant.events$} reports, once per stream entry done
 * (and once more per block):
 * - `share`: the entry was applied (`applied: true`) or its share id had
 *   been applied already (`applied: false`, nothing counted twice)
 * - `skipped`: the entry could not be accounted (`reason`); it was acked
 * - `block`: a block's split was stored
 */
export type AccountingEvent =
  | { kind: 'share'; coin: string; entryId: string; shareId: string; applied: boolean; consumer: string }
  | { kind: 'skipped'; coin: string; entryId: string; reason: string; consumer: string }
  | { kind: 'block'; coin: string; block: BlockAccount; consumer: string };
