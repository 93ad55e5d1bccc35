import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeReply } from './memory-probe';

/** Options of startBenchChild. */
export interface BenchChildOptions {
  /** a name for messages and the log file (`<dir>/<name>.log`) */
  name: string;
  /** the script node runs */
  script: string;
  args?: string[];
  /** directory of the log file */
  dir: string;
  /** pin the child to this CPU (taskset -c); ignored where taskset is missing (see `pinned`) */
  cpu?: number;
  /**
   * preload the memory probe (support/memory-probe.js, with --expose-gc) and
   * open an IPC channel, so that `memory()` works
   */
  probe?: boolean;
  /** more node options before the script (e.g. --cpu-prof --cpu-prof-dir <dir>) */
  nodeArgs?: string[];
}

/** A child process of a benchmark, its stdout and stderr in a file. */
export interface BenchChild {
  readonly name: string;
  /** the child's pid (node's own: taskset execs it) */
  readonly pid: number;
  /** whether the child runs pinned to `cpu` */
  readonly pinned: boolean;
  /** resolves with the first output line matching `pattern` */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** the last output lines, for error messages */
  tail(lines?: number): string;
  /** the child's memory after a full GC (needs `probe`), bytes */
  memory(timeoutMs?: number): Promise<ProbeReply>;
  /**
   * Sends `{ lodeBench: kind, id, ...payload }` over IPC (needs `probe`) and
   * resolves with the child's reply of the same kind and id.
   */
  request<T>(kind: string, payload?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** SIGTERM, SIGKILL after 3 s; resolves when it has exited */
  stop(): Promise<void>;
  /** SIGKILL now (from a process 'exit' handler) */
  kill(): void;
}

let tasksetPath: string | null | undefined;

/** The taskset binary, or null when it is not installed. */
export function findTaskset(): string | null {
  if (tasksetPath === undefined) {
    try {
      tasksetPath = execFileSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).trim() || null;
    } catch {
      tasksetPath = null;
    }
  }
  return tasksetPath;
}

/**
 * Pins this process to one CPU (taskset -pc); children started afterwards
 * inherit it unless pinned elsewhere.
 *
 * @returns whether it worked (false without taskset, or when refused)
 */
export function pinSelf(cpu: number): boolean {
  const taskset = findTaskset();
  if (taskset === null) return false;
  try {
    execFileSync(taskset, ['-pc', String(cpu), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `node <script> <args>` as a child process of a benchmark, its output
 * in `<dir>/<name>.log` (nothing for the benchmark to read while it
 * measures), optionally pinned to a CPU and with the memory probe.
 *
 * @throws Error when the script is missing (the message says to build first)
 */
export function startBenchChild(options: BenchChildOptions): BenchChild {
  const { name, script, dir } = options;
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: build first (npx nx run-many -t build-native build --outputStyle=static)`);
  }
  const logFile = join(dir, `${name}.log`);
  const nodeArgs = [...(options.probe === true ? ['--expose-gc', '-r', join(__dirname, 'memory-probe.js')] : []), ...(options.nodeArgs ?? [])];
  const taskset = options.cpu !== undefined ? findTaskset() : null;
  const command = taskset !== null ? taskset : process.execPath;
  const args = [...(taskset !== null ? ['-c', String(options.cpu), process.execPath] : []), ...nodeArgs, script, ...(options.args ?? [])];
  const fd = openSync(logFile, 'w');
  let proc: ChildProcess;
  try {
    proc = spawn(command, args, { stdio: ['ignore', fd, fd, ...(options.probe === true ? (['ipc'] as const) : [])] });
  } finally {
    closeSync(fd);
  }
  let exited = false;
  const exit = new Promise<void>((done) => {
    proc.once('exit', () => ((exited = true), done()));
    proc.once('error', () => ((exited = true), done()));
  });
  const replies = new Map<number, (reply: unknown) => void>();
  proc.on('message', (m: unknown) => {
    const reply = m as { lodeBench?: unknown; id?: unknown } | null;
    if (typeof reply?.lodeBench === 'string' && typeof reply.id === 'number') replies.get(reply.id)?.(reply);
  });
  let nextId = 1;
  function request<T>(kind: string, payload: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
    if (options.probe !== true || exited) return Promise.reject(new Error(`${name}: no IPC channel (started without probe, or exited)`));
    const id = nextId++;
    return new Promise<T>((done, reject) => {
      const timer = setTimeout(() => {
        replies.delete(id);
        reject(new Error(`${name}: no ${kind} reply within ${timeoutMs} ms`));
      }, timeoutMs);
      replies.set(id, (reply) => {
        clearTimeout(timer);
        replies.delete(id);
        done(reply as T);
      });
      proc.send({ ...payload, lodeBench: kind, id });
    });
  }
  const read = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const tail = (lines = 20): string => read().split('\n').slice(-lines - 1).join('\n');
  return {
    name,
    pid: proc.pid ?? -1,
    pinned: taskset !== null,
    tail,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = read()
          .split('\n')
          .find((l) => pattern.test(l));
        if (line !== undefined) return line;
        if (exited) throw new Error(`${name} exited before printing ${pattern}; its last lines:\n${tail()}`);
        if (Date.now() > deadline) throw new Error(`${name} did not print ${pattern} within ${timeoutMs} ms; its last lines:\n${tail()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    memory(timeoutMs = 30_000) {
      return request<ProbeReply>('memory', {}, timeoutMs);
    },
    request,
    async stop() {
      if (exited) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(timer);
    },
    kill() {
      if (!exited) proc.kill('SIGKILL');
    },
  };
}
