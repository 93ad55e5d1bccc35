import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A dashboard file ready to send. */
export interface DashboardFile {
  body: Buffer;
  /** Content-Type header value */
  contentType: string;
}

/**
 * The files the read API serves under `/dashboard/`: the page's own (from
 * the dashboard directory) and Chart.js's UMD build (from the chart.js
 * package). Any other name is refused: the allow-list is the only way a
 * name reaches the file system.
 */
export const DASHBOARD_FILES: Readonly<Record<string, { contentType: string; from: 'dashboard' | 'chart.js' }>> = Object.freeze({
  'index.html': { contentType: 'text/html; charset=utf-8', from: 'dashboard' },
  'dashboard.js': { contentType: 'text/javascript; charset=utf-8', from: 'dashboard' },
  'dashboard.css': { contentType: 'text/css; charset=utf-8', from: 'dashboard' },
  'chart.umd.js': { contentType: 'text/javascript; charset=utf-8', from: 'chart.js' },
});

/**
 * Where the dashboard's files are: `apps/pool/src/dashboard`. The build
 * (tsc) does not copy them, so both the sources run by Jest
 * (`src/api/` -> `../dashboard`) and the build run by node
 * (`dist/api/` -> `../../src/dashboard`) read them from `src`; a `dashboard`
 * directory beside the compiled `api` directory wins when a packaging step
 * puts one there.
 *
 * @returns the first candidate holding index.html, else the first candidate
 */
export function defaultDashboardDir(): string {
  const candidates = [join(__dirname, '..', 'dashboard'), join(__dirname, '..', '..', 'src', 'dashboard')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? (candidates[0] as string);
}

/**
 * Chart.js's UMD build (`chart.js/dist/chart.umd.js`), found from the
 * package's main entry (the package's `exports` do not list the UMD file).
 *
 * @throws Error when chart.js is not installed
 */
export function chartJsUmdPath(): string {
  return join(dirname(require.resolve('chart.js')), 'chart.umd.js');
}

/**
 * Reads the allow-listed dashboard files, each once (they are small and do
 * not change while the pool runs).
 */
export class DashboardFiles {
  private readonly cache = new Map<string, Promise<DashboardFile | undefined>>();

  /** @param dir the dashboard directory (default {@link defaultDashboardDir}) */
  constructor(readonly dir: string = defaultDashboardDir()) {}

  /**
   * The file named `name` (a plain name such as "dashboard.js").
   *
   * @returns undefined when the name is not in {@link DASHBOARD_FILES} or the
   *   file cannot be read (a missing chart.js included)
   */
  read(name: string): Promise<DashboardFile | undefined> {
    const entry = Object.hasOwn(DASHBOARD_FILES, name) ? DASHBOARD_FILES[name] : undefined;
    if (entry === undefined) return Promise.resolve(undefined);
    let file = this.cache.get(name);
    if (file === undefined) {
      file = (async () => {
        try {
          const path = entry.from === 'chart.js' ? chartJsUmdPath() : join(this.dir, name);
          return { body: await readFile(path), contentType: entry.contentType };
        } catch {
          this.cache.delete(name);
          return undefined;
        }
      })();
      this.cache.set(name, file);
    }
    return file;
  }
}
