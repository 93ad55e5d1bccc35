#!/usr/bin/env node
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { LodeError } from '@lode/stratum-core';
import { loadProxyConfig } from './config/load-config';
import { startProxy } from './composition/start-proxy';
import { createLogger } from './logging/create-logger';

const program = new Command()
  .name('lode-proxy')
  .description(
    'Lode Stratum proxy: many miners on few upstream connections. Log lines: "proxy listening", "upstream connected", ' +
      '"upstream lost", "failover to <name>", "fail-back to <name>", "miner subscribed", "share accepted", ' +
      '"upstream share found ... accepted by upstream", "proxy stats". SIGINT/SIGTERM stop gracefully.',
  )
  .requiredOption('-c, --config <file>', 'proxy config file (YAML or JSON); schema: apps/proxy/src/config/proxy-config.schema.ts')
  .option('--log-level <level>', 'override log.level from the config')
  .option('--json', 'log JSON lines (pino) instead of human lines')
  .parse();

async function main(): Promise<void> {
  const opts = program.opts<{ config: string; logLevel?: string; json?: boolean }>();
  const config = loadProxyConfig(resolve(opts.config));
  if (opts.logLevel) config.log.level = opts.logLevel;
  if (opts.json) config.log.format = 'json';
  const logger = createLogger('proxy', config.log.level, config.log.format);

  const proxy = await startProxy(config, logger, resolve(__dirname, '..'));
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(130);
    void proxy.stop(`received ${signal}`).then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  const message = LodeError.is(e) ? `${e.kind} error: ${e.message}` : String((e as Error)?.stack ?? e);
  process.stderr.write(`lode-proxy: ${message}\n`);
  process.exit(LodeError.is(e, 'config') || LodeError.is(e, 'plugin') ? 2 : 1);
});
