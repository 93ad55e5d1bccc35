/**
 * What a miner tells about itself through the BIP 310 `info` extension
 * (`mining.configure` parameters `info.connection-url`, `info.hw-version`,
 * `info.sw-version`, `info.hw-id`). Free text from the miner: the engine
 * keeps at most 256 characters of each and shows them in the stats.
 *
 * @see specs/002_b8c80480aecfabab.txt, extension "info"
 */
export interface MinerInfo {
  /** "info.connection-url": the exact URL the mining software connected with */
  connectionUrl?: string;
  /** "info.hw-version": manufacturer specific hardware revision */
  hwVersion?: string;
  /** "info.sw-version": manufacturer specific software version */
  swVersion?: string;
  /** "info.hw-id": unique identifier of the mining device */
  hwId?: string;
}
