#!/usr/bin/env node
import 'reflect-metadata';
import { runMinerCli } from './cli/run-miner-cli';

// Logs go to stdout synchronously (pino to a file, pipe or TTY on Linux), so exiting at once loses nothing.
runMinerCli(process.argv).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`lode-miner: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
