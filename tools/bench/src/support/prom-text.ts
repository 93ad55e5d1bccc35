/**
 * Sums the samples of one series name in Prometheus text format (version
 * 0.0.4), over every label set whose labels include `labels`.
 *
 * `promSum(text, 'lode_pool_notify_fanout_seconds_sum', { coin: 'btc' })`
 * adds the `clean="true"` and `clean="false"` series of coin btc.
 *
 * @param name the full sample name (a histogram's `_sum`, `_count`, ...)
 * @returns the sum; 0 when no sample matches
 */
export function promSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const rest = line.slice(name.length);
    let labelText = '';
    let valueText: string;
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      if (close < 0) continue;
      labelText = rest.slice(1, close);
      valueText = rest.slice(close + 1);
    } else if (rest.startsWith(' ')) {
      valueText = rest;
    } else {
      continue; // another name with this one as its prefix
    }
    const have = new Map<string, string>();
    for (const m of labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) have.set(m[1], m[2]);
    if (!Object.entries(labels).every(([k, v]) => have.get(k) === v)) continue;
    const value = Number(valueText.trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

/** GET a Prometheus endpoint's text. */
export async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return response.text();
}
