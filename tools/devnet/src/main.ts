#!/usr/bin/env node
import { runCli } from './cli/run-cli';

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`devnet: failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
