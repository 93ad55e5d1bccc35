/** A uint32 as 8 lower-case hex digits, big-endian as printed ("20000000"), the Stratum v1 way (facts/bitcoin-stratum.md rule 2). */
export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * A `mining.notify` param that must be hex of a given length.
 *
 * @param value the param as received
 * @param name its name, for the error
 * @param digits the hex digits expected (a list when several lengths are allowed)
 * @throws Error naming the param and the rule
 */
export function hexParam(value: unknown, name: string, digits: number | readonly number[]): string {
  const allowed = typeof digits === 'number' ? [digits] : digits;
  if (typeof value !== 'string' || !/^[0-9a-fA-F]*$/.test(value) || !allowed.includes(value.length)) {
    throw new Error(`${name} ${JSON.stringify(value)} is not ${allowed.join(' or ')} hex digits`);
  }
  return value.toLowerCase();
}
