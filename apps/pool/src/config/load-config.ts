import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { LodeError } from '@lode/stratum-core';
import type { PoolConfig } from './pool-config';
import { poolConfigSchema } from './pool-config.schema';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validatePool = ajv.compile(poolConfigSchema);

/** Formats ajv errors as "ports/0/port: must be <= 65535" lines. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined, prefix = ''): string {
  return (errors ?? [])
    .map((e) => `${prefix}${e.instancePath || '/'}: ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` ('${String(e.params['additionalProperty'])}')` : ''}`)
    .join('; ');
}

/**
 * Parses and validates a pool config (YAML for .yaml/.yml, else JSON), filling
 * in defaults. Port names default to "<coin>-<port>".
 *
 * @throws LodeError('config') naming the file and every schema violation
 */
export function parsePoolConfig(text: string, source: string): PoolConfig {
  let raw: unknown;
  try {
    raw = ['.yaml', '.yml'].includes(extname(source).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (cause) {
    throw new LodeError('config', `${source} is not valid ${extname(source) === '.json' ? 'JSON' : 'YAML'}: ${(cause as Error).message}`, { cause });
  }
  // An ethstratum port gets its session settings' defaults even when it names none.
  if (typeof raw === 'object' && raw !== null && Array.isArray((raw as { ports?: unknown }).ports)) {
    for (const port of (raw as { ports: unknown[] }).ports) {
      if (typeof port === 'object' && port !== null && (port as Record<string, unknown>)['dialect'] === 'ethstratum') {
        (port as Record<string, unknown>)['ethstratum'] ??= {};
      }
    }
  }
  if (!validatePool(raw)) {
    throw new LodeError('config', `${source} is invalid: ${describeSchemaErrors(validatePool.errors)}`);
  }
  const config = raw as unknown as PoolConfig;
  for (const port of config.ports) port.name ??= `${port.coin}-${port.port}`;
  for (const port of config.ports) {
    if (port.ethstratum !== undefined && port.dialect !== 'ethstratum') {
      throw new LodeError('config', `${source}: port ${port.name} has an ethstratum section but speaks ${port.dialect}`);
    }
    if (config.coins[port.coin] === undefined) {
      throw new LodeError('config', `${source}: port ${port.name} mines coin '${port.coin}' but coins has no '${port.coin}' section`);
    }
  }
  return config;
}

/**
 * Reads and validates a pool config file.
 *
 * @throws LodeError('config') when the file cannot be read or is invalid
 */
export function loadPoolConfig(file: string): PoolConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new LodeError('config', `cannot read config file ${file}: ${(cause as Error).message}`, { cause });
  }
  return parsePoolConfig(text, file);
}

/**
 * Validates one coin's section against its plugin's JSON Schema (defaults
 * filled in).
 *
 * @throws LodeError('config') listing every violation
 */
export function validateCoinSection(coin: string, schema: object, section: Record<string, unknown>): Record<string, unknown> {
  const validate = ajv.compile(schema);
  if (!validate(section)) {
    throw new LodeError('config', `coins.${coin} is invalid: ${describeSchemaErrors(validate.errors, `coins/${coin}`)}`);
  }
  return section;
}
