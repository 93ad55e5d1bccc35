/** The user agent sessions send in `mining.subscribe` / `mining.hello`. */
export const LOADGEN_USER_AGENT = 'lode-loadgen/0.1';
