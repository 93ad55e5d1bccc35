import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { LodeError } from '@lode/stratum-core';
import type { ProxyConfig } from './proxy-config';
import { proxyConfigSchema } from './proxy-config.schema';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validateProxy = ajv.compile(proxyConfigSchema);

/** Formats ajv errors as "ports/0/port: must be <= 65535" (copied from apps/pool: apps do not import apps). */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` ('${String(e.params['additionalProperty'])}')` : ''}`)
    .join('; ');
}

/**
 * Parses and validates a proxy config (YAML for .yaml/.yml, else JSON),
 * filling in defaults. Port names default to "<coin>-<port>". Beyond the
 * schema: upstream names are unique; every port has at least one upstream
 * of its coin and dialect; `credentials: passthrough` is refused with a
 * warthog upstream (its 4-parameter submit cannot name a worker, so
 * passing credentials through would take one upstream connection per
 * worker).
 *
 * @throws LodeError('config') naming the file and every violation
 */
export function parseProxyConfig(text: string, source: string): ProxyConfig {
  let raw: unknown;
  try {
    raw = ['.yaml', '.yml'].includes(extname(source).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (cause) {
    throw new LodeError('config', `${source} is not valid ${extname(source) === '.json' ? 'JSON' : 'YAML'}: ${(cause as Error).message}`, { cause });
  }
  if (!validateProxy(raw)) {
    throw new LodeError('config', `${source} is invalid: ${describeSchemaErrors(validateProxy.errors)}`);
  }
  const config = raw as unknown as ProxyConfig;
  for (const port of config.ports) port.name ??= `${port.coin}-${port.port}`;
  const names = new Set<string>();
  for (const upstream of config.upstreams) {
    if (names.has(upstream.name)) throw new LodeError('config', `${source}: upstream name '${upstream.name}' is used twice`);
    names.add(upstream.name);
    if (config.credentials === 'passthrough' && upstream.dialect === 'warthog') {
      throw new LodeError(
        'config',
        `${source}: credentials 'passthrough' cannot serve warthog upstream '${upstream.name}': its 4-parameter mining.submit cannot name a worker (use credentials 'proxy')`,
      );
    }
  }
  for (const port of config.ports) {
    if (!config.upstreams.some((u) => u.coin === port.coin && u.dialect === port.dialect)) {
      throw new LodeError('config', `${source}: port ${port.name} mines ${port.coin} over ${port.dialect}, but no upstream has that coin and dialect`);
    }
  }
  return config;
}

/**
 * Reads and validates a proxy config file.
 *
 * @throws LodeError('config') when the file cannot be read or is invalid
 */
export function loadProxyConfig(file: string): ProxyConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new LodeError('config', `cannot read config file ${file}: ${(cause as Error).message}`, { cause });
  }
  return parseProxyConfig(text, file);
}
