/** Options of {@link ShareValidator}. */
export interface ShareValidatorOptions {
  /** share keys kept per job for duplicate detection (default 65536); past it the oldest is forgotten */
  duplicatesPerJob?: number;
}
