#!/usr/bin/env node
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { LodeError } from '@lode/stratum-core';
import { loadPoolConfig } from './config/load-config';
import { startPool } from './composition/start-pool';
import { createLogger } from './logging/create-logger';

const program = new Command()
  .name('lode-pool')
  .description(
    'Lode Stratum pool server. Log lines: "pool listening", "miner subscribed", "miner info", "share accepted", "share rejected", ' +
      '"block found at height H hash X accepted by node", "pool stats". SIGINT/SIGTERM stop gracefully; SIGUSR2 moves every session to a new extranonce1.',
  )
  .requiredOption('-c, --config <file>', 'pool config file (YAML or JSON); schema: apps/pool/src/config/pool-config.schema.ts')
  .option('--log-level <level>', 'override log.level from the config')
  .option('--json', 'log JSON lines (pino) instead of human lines')
  .parse();

async function main(): Promise<void> {
  const opts = program.opts<{ config: string; logLevel?: string; json?: boolean }>();
  const config = loadPoolConfig(resolve(opts.config));
  if (opts.logLevel) config.log.level = opts.logLevel;
  if (opts.json) config.log.format = 'json';
  const logger = createLogger('pool', config.log.level, config.log.format);

  const pool = await startPool(config, logger, resolve(__dirname, '..'));
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(130);
    void pool.stop(`received ${signal}`).then(() => process.exit(0));
  };
  // An operator (or an orchestrator about to move sessions elsewhere) asks for
  // new extranonce1 values: set_extranonce where subscribed, else client.reconnect.
  process.on('SIGUSR2', () => void pool.moveExtranonces());
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  const message = LodeError.is(e) ? `${e.kind} error: ${e.message}` : String((e as Error)?.stack ?? e);
  process.stderr.write(`lode-pool: ${message}\n`);
  process.exit(LodeError.is(e, 'config') || LodeError.is(e, 'plugin') ? 2 : 1);
});
