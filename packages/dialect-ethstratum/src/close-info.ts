import type { CloseInfo } from '@lode/stratum-core';

/**
 * Why an EthereumStratum/2.0.0 connection closed, and whether `mining.bye`
 * was sent or received by this side.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Bye"
 */
export interface EthCloseInfo extends CloseInfo {
  /**
   * true when either side sent `mining.bye`: the session is abandoned, no
   * resume is possible (a server drops it from its resume cache)
   */
  bye: boolean;
}
