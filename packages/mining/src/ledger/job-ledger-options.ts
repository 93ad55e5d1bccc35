/** Options of a JobLedger. */
export interface JobLedgerOptions {
  /** how many jobs one session remembers, an integer >= 1; default 16 */
  readonly capacity?: number;
}
