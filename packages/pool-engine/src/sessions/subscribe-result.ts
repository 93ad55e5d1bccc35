/** The answer to {@link MinerSession.subscribe}. */
export interface SubscribeResult {
  /** this session's extranonce1, raw bytes (the dialect hex-encodes it) */
  extranonce1: Buffer;
  /** extranonce2 size, bytes */
  extranonce2Size: number;
  /** the session id to give the miner for resume, 16 lower-case hex digits (8 random bytes) */
  sessionId: string;
}
