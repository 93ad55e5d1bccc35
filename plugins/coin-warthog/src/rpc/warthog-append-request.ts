/**
 * The body of `POST /chain/append` (keys case-sensitive): what
 * WarthogCoinPlugin.buildBlock writes as JSON and WarthogNode.submitBlock posts.
 *
 * @see facts/warthog.md §4.3 (NODE `parse.cpp` `parse_mining_task`)
 */
export interface WarthogAppendRequest {
  /** the height of the block (the template's `height`), uint32 */
  height: number;
  /** the solved header, 160 lower-case hex */
  header: string;
  /** the template body with body[0..10] = extranonce1 ‖ extranonce2, lower-case hex, at most 35000 bytes */
  body: string;
}
