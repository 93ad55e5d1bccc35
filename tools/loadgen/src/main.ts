#!/usr/bin/env node
import { CommanderError } from 'commander';
import { parseLoadgenCommandLine, type LoadgenCommandLine } from './cli/loadgen-command';
import { resolveLoadgenOptions } from './options/loadgen-options';
import { formatReport, reportJson } from './report/format-report';
import { runLoadgen } from './run/run-loadgen';
import { startPoolStack, type PoolStack } from './stack/pool-stack';

/**
 * `lode-loadgen`: parses the command line, runs the load generator with a
 * progress line per second on stderr, prints the summary (text on stdout,
 * or JSON on stdout and text on stderr with --json) and sets the exit
 * status: 0 PASS, 1 FAIL, 2 bad options or a run that could not start.
 * SIGINT / SIGTERM end the run early, with a report. With --devnet it
 * starts (and at the end stops) a Bitcoin devnet and a Lode pool first.
 */
async function main(argv: readonly string[]): Promise<number> {
  let command: LoadgenCommandLine;
  try {
    command = parseLoadgenCommandLine(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`lode-loadgen: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let stack: PoolStack | undefined;
  try {
    let options = command.options;
    if (command.devnet !== undefined) {
      process.stderr.write(`lode-loadgen: starting a devnet (nbits ${command.devnet.nbits}) and a pool (difficulty ${command.devnet.difficulty})\n`);
      stack = await startPoolStack(command.devnet);
      options = resolveLoadgenOptions({ ...options, url: stack.url });
    }
    const report = await runLoadgen(options, {
      signal: abort.signal,
      ...(command.progress ? { progress: (line: string) => process.stderr.write(`${line}\n`) } : {}),
    });
    const text = `${formatReport(report).join('\n')}\n`;
    if (command.json) {
      process.stderr.write(text);
      process.stdout.write(`${reportJson(report)}\n`);
    } else {
      process.stdout.write(text);
    }
    return report.ok ? 0 : 1;
  } catch (e) {
    process.stderr.write(`lode-loadgen: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  } finally {
    await stack?.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`lode-loadgen: failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
