/** The dialect-neutral part of a share submit (Stratum v1 `mining.submit`), decoded to numbers and bytes. */
export interface SubmitRequest {
  /** worker name as sent; must have been authorized on this session */
  workerName: string;
  /** the job id as sent in the job event */
  jobId: string;
  /** extranonce2, raw bytes (the plugin checks its size) */
  extranonce2: Buffer;
  /** uint32 seconds */
  ntime: number;
  /** uint32 */
  nonce: number;
  /** the rolled version bits (BIP 310's 6th submit parameter), uint32, when given */
  versionBits?: number;
  /**
   * the version mask in effect for this submit (the dialect's last mask sent:
   * the `mining.configure` answer or a later `mining.set_version_mask`),
   * uint32; when given it is the ShareSubmission's mask, over any mask set
   * with MinerSession.setVersionMask (BIP 310)
   */
  versionMask?: number;
  /**
   * the extranonce1 the miner's nonce was made under, overriding the one the
   * job was sent with: an empty Buffer for dialects in which the miner
   * chooses the whole nonce (EthProxy, plain ethash stratum: `extranonce2`
   * is then the full 8-byte nonce). Absent: the job's (the usual case).
   */
  extranonce1?: Buffer;
  /** the proof the miner sent beside its nonce (EthProxy's 32-byte mix digest); see ShareSubmission.seal */
  seal?: Buffer;
}
