let counter = 0;

/**
 * The next job id of this process: a counter in lower-case hex, never reused
 * while the process lives, shared by every JobManager so two coins' jobs never
 * collide either. Internal.
 */
export function nextJobId(): string {
  counter++;
  return counter.toString(16);
}
