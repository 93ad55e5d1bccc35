import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The open-files limit of a process (RLIMIT_NOFILE). */
export interface FdLimit {
  /** the limit in force (`ulimit -n`) */
  soft: number;
  /** the ceiling an unprivileged process may raise it to (`ulimit -Hn`) */
  hard: number;
}

/**
 * Reads the resident set size from the text of `/proc/<pid>/status`.
 *
 * @returns VmRSS in bytes (the file gives kB, 1024 bytes)
 * @throws Error when the text has no VmRSS line (a kernel thread, a zombie)
 */
export function parseVmRss(statusText: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  if (m === null) throw new Error('no VmRSS line in /proc/<pid>/status (has the process exited?)');
  return Number(m[1]) * 1024;
}

/**
 * Reads user + system CPU time from the text of `/proc/<pid>/stat`
 * (fields 14 utime and 15 stime, counted after the parenthesised command
 * name, which may itself hold spaces and parentheses).
 *
 * @param clockTicks ticks per second (`getconf CLK_TCK`, 100 on Linux)
 * @returns CPU seconds
 * @throws Error when the text is not a stat line
 */
export function parseStatCpuSeconds(statText: string, clockTicks: number): number {
  const { user, system } = parseStatCpuTimes(statText, clockTicks);
  return user + system;
}

/**
 * Like parseStatCpuSeconds, user and system time apart (system time is the
 * kernel's work for the process: syscalls, and on loopback most of the TCP
 * path of what it sends).
 */
export function parseStatCpuTimes(statText: string, clockTicks: number): { user: number; system: number } {
  const close = statText.lastIndexOf(')');
  const fields = statText.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state): utime is field 14, stime field 15
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (close < 0 || !Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`not a /proc/<pid>/stat line: ${statText.slice(0, 80)}`);
  return { user: utime / clockTicks, system: stime / clockTicks };
}

/**
 * Reads the "Max open files" line of `/proc/<pid>/limits`.
 *
 * @returns soft and hard limits; `Infinity` for "unlimited"
 * @throws Error when the text has no such line
 */
export function parseFdLimit(limitsText: string): FdLimit {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)\s+files/m.exec(limitsText);
  if (m === null) throw new Error('no "Max open files" line in /proc/<pid>/limits');
  const value = (s: string): number => (s === 'unlimited' ? Number.POSITIVE_INFINITY : Number(s));
  return { soft: value(m[1]), hard: value(m[2]) };
}

/** Resident set size of a process, bytes (Linux /proc). */
export function readRssBytes(pid: number | 'self'): number {
  return parseVmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

let ticks: number | undefined;

/** User + system CPU seconds a process has used so far (Linux /proc). */
export function readCpuSeconds(pid: number | 'self'): number {
  const { user, system } = readCpuTimes(pid);
  return user + system;
}

/** User and system CPU seconds a process has used so far (Linux /proc). */
export function readCpuTimes(pid: number | 'self'): { user: number; system: number } {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return parseStatCpuTimes(readFileSync(`/proc/${pid}/stat`, 'utf8'), ticks);
}

/** The open-files limit of a process (Linux /proc). Node raises its own soft limit to the hard one at start. */
export function readFdLimit(pid: number | 'self' = 'self'): FdLimit {
  return parseFdLimit(readFileSync(`/proc/${pid}/limits`, 'utf8'));
}

/**
 * File descriptors a run of `sessions` loopback sessions needs in each of
 * the two processes (the pool and this one): one socket each plus `reserve`
 * for the process's own (stdio, the node's HTTP connections, epoll, the
 * metrics endpoint).
 */
export function fdsNeeded(sessions: number, reserve = 256): number {
  return sessions + reserve;
}

/**
 * The most sessions a run can hold when each of the two processes may open
 * `limit` descriptors, rounded down to a multiple of 500.
 */
export function maxSessionsUnder(limit: number, reserve = 256): number {
  if (!Number.isFinite(limit)) return Number.MAX_SAFE_INTEGER;
  return Math.max(0, Math.floor((limit - reserve) / 500) * 500);
}

/**
 * The message printed when the open-files limit is below what `sessions`
 * needs: the numbers, why it cannot be raised from here, and how to raise it.
 */
export function fdLimitMessage(sessions: number, limit: FdLimit): string {
  return (
    `${sessions.toLocaleString('en-US')} sessions need ${fdsNeeded(sessions).toLocaleString('en-US')} open files in the pool process and in this one, ` +
    `but the limit here is ${limit.soft.toLocaleString('en-US')} (ulimit -n; hard limit ${limit.hard.toLocaleString('en-US')}, ulimit -Hn). ` +
    `Node already raises its soft limit to the hard one, and a child cannot go above it: raise the hard limit before the run ` +
    `(as root with CAP_SYS_RESOURCE: ulimit -Hn 262144; systemd LimitNOFILE=262144; docker run --ulimit nofile=262144:262144).`
  );
}
