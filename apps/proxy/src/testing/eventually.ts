/**
 * Waits until `condition` holds, checking after every turn of the event
 * loop (10 ms apart); throws naming `what` after `limitMs`. For state that
 * arrives over sockets; the limit only bounds a failing test, it is not
 * what the test asserts.
 */
export async function eventually(condition: () => boolean, what: string, limitMs = 10000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
