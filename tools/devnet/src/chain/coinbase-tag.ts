const SLASH_TAG = /\/[\x20-\x7e]{1,64}?\//;
const PRINTABLE_RUN = /[\x20-\x7e]{4,}/g;

/**
 * A human-readable tag from a coinbase scriptSig, for log lines: the first
 * "/.../" run of printable ASCII (the pools' convention, e.g. "/Lode/"),
 * else the longest printable run of 4 or more characters, else "".
 *
 * @param scriptSig raw coinbase scriptSig bytes
 */
export function coinbaseTag(scriptSig: Buffer): string {
  const text = scriptSig.toString('latin1');
  const slash = SLASH_TAG.exec(text);
  if (slash) return slash[0];
  let best = '';
  for (const run of text.match(PRINTABLE_RUN) ?? []) if (run.length > best.length) best = run;
  return best.trim();
}
