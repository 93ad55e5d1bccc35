import type { SHARE_REJECT_REASONS } from './share-reject-reasons';

/**
 * Why a share was refused, dialect-neutral; each dialect maps it to its own
 * error code (see SHARE_REJECT_REASONS for the meaning of each).
 */
export type ShareRejectReason = (typeof SHARE_REJECT_REASONS)[number];
