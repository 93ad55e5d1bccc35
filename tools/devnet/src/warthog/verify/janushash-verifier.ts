/**
 * Judges a header's proof of work: the Janushash rule of Janus8
 * (sha256t fraction Y >= 0.005 and J = X · Y^0.7 < τ in CustomFloat, X the
 * VerusHash v2.2 fraction, τ decoded from `targetV2`).
 *
 * The devnet takes it as a parameter so that its pure parts are testable
 * without the native addon; {@link nativeJanushashVerifier} is the real one.
 *
 * @see facts/warthog.md §1.1, §3.1
 */
export interface JanushashVerifier {
  /**
   * @param header the 80 header bytes
   * @param targetV2 the raw TargetV2 to judge against (uint32)
   * @returns true when the header meets the target
   */
  checkTarget(header: Buffer, targetV2: number): boolean;
}
