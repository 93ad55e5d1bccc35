import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child process whose output lines are kept (bounded) and can be waited on. */
export interface LoggedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** every line printed so far on stdout and stderr (the last 5000) */
  readonly lines: string[];
  /** resolves with the first line (already printed or future) matching `pattern` */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** how many lines printed so far match `pattern` */
  count(pattern: RegExp): number;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited */
  stop(): Promise<void>;
}

/**
 * Starts `node <script> <args>` and records its output lines.
 * Set LODE_E2E_VERBOSE=1 to echo them.
 */
export function spawnLogged(name: string, script: string, args: string[], env: NodeJS.ProcessEnv = {}): LoggedProcess {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      lines.push(`[${name} exited code=${code} signal=${signal}]`);
      resolve();
    }),
  );
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (process.env['LODE_E2E_VERBOSE']) process.stdout.write(`[${name}] ${line}\n`);
      lines.push(line);
      if (lines.length > 5000) lines.shift();
      for (const w of waiters) {
        if (w.pattern.test(line)) {
          waiters.delete(w);
          w.resolve(line);
        }
      }
    });
  }
  return {
    name,
    child,
    lines,
    waitFor(pattern, timeoutMs) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { pattern, resolve: (l: string) => (clearTimeout(timer), resolve(l)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-25).join('\n')}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    count(pattern) {
      return lines.filter((l) => pattern.test(l)).length;
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(kill);
    },
  };
}
