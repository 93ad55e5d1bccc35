/* Errors */
export { LodeError } from './errors';
export type { LodeErrorKind } from './errors';

/* Logging */
export { silentLogger } from './logger';
export type { LodeLogger } from './logger';
