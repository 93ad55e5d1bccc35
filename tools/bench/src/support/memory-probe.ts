import { writeHeapSnapshot } from 'node:v8';

/**
 * Preloaded into a child process of a benchmark (`node --expose-gc -r
 * <dist>/support/memory-probe.js <script>`): answers the parent's IPC
 * message `{ lodeBench: 'memory', id }` with the child's memory after a
 * full garbage collection, so that a benchmark reads resident memory that
 * holds live objects only, not garbage the heap has not collected yet; and
 * `{ lodeBench: 'heap-snapshot', id, path }` by writing a V8 heap snapshot
 * to `path` (open it in Chrome DevTools, Memory tab), answered with
 * `{ lodeBench: 'heap-snapshot', id, path }`.
 *
 * The reply is a {@link ProbeReply}. Without `--expose-gc` it reports the
 * memory as it is (`collected: false`). The IPC channel is unref'd: it
 * never keeps the child alive on its own. The child's own code is not
 * touched.
 */

/** What the probe answers, bytes. */
export interface ProbeReply {
  lodeBench: 'memory';
  id: number;
  /** whether a full GC ran before the figures were read */
  collected: boolean;
  /** process.memoryUsage() after the GC, bytes */
  usage: NodeJS.MemoryUsage;
  /** process.cpuUsage() so far, microseconds */
  cpu: NodeJS.CpuUsage;
}

/** Installs the probe in this process (the preload calls it; exported for the bare-socket server). */
export function installMemoryProbe(): void {
  if (typeof process.send !== 'function') return;
  process.channel?.unref();
  process.on('message', (message: unknown) => {
    const m = message as { lodeBench?: unknown; id?: unknown; path?: unknown } | null;
    if (m === null || typeof m !== 'object' || typeof m.id !== 'number') return;
    if (m.lodeBench === 'heap-snapshot' && typeof m.path === 'string') {
      process.send?.({ lodeBench: 'heap-snapshot', id: m.id, path: writeHeapSnapshot(m.path) });
      return;
    }
    if (m.lodeBench !== 'memory') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc !== undefined) {
      // two passes: the first may leave weak and finalized objects for the second
      gc();
      gc();
    }
    const reply: ProbeReply = { lodeBench: 'memory', id: m.id, collected: gc !== undefined, usage: process.memoryUsage(), cpu: process.cpuUsage() };
    process.send?.(reply);
  });
}

installMemoryProbe();
