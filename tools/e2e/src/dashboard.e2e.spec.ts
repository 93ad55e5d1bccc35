import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { DEVNET_PAYOUT_ADDRESS, entryPoints, repoRoot } from './support/paths';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

/** Where the screenshot is kept for CI to pick up as an artefact. */
const ARTIFACTS = resolve(repoRoot, 'tools/e2e/artifacts');
const SCREENSHOT = join(ARTIFACTS, 'dashboard.png');

/** The miner's payout address and worker ("<address>.<rig>"), as the dashboard's lookup splits them. */
const ADDRESS = DEVNET_PAYOUT_ADDRESS;
const WORKER = `${ADDRESS}.rig1`;

/** What the checks read in the page (the e2e project compiles without the DOM library). */
interface BrowserGlobals {
  document: { getElementById(id: string): unknown };
  /** Chart.js's UMD global */
  Chart?: { getChart(canvas: unknown): { data: { labels: unknown[]; datasets: { data: unknown[] }[] } } | undefined };
}

describe('the pool dashboard in headless Chromium during an end-to-end run (devnet, pool and miner as processes)', () => {
  let dir: string;
  let devnet: LoggedProcess | undefined;
  let pool: LoggedProcess | undefined;
  let miner: LoggedProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let apiUrl = '';
  /** what the page logged as an error, CSP violations included (a failed request is in `failedRequests`) */
  const pageErrors: string[] = [];
  /** "<status> <path>" of every answer >= 400 the page got */
  const failedRequests = new Set<string>();

  beforeAll(async () => {
    // First, so that a missing browser fails fast with its own message.
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-dashboard-'));
    devnet = spawnLogged('devnet', entryPoints.devnet, ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const rpcPort = Number(/:(\d+)/.exec(listening.split('http://')[1] ?? '')?.[1]);
    const config = {
      plugins: ['@lode/coin-bitcoin'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 5 },
      coins: {
        btc: {
          node: { url: `http://127.0.0.1:${rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 },
          payoutAddress: DEVNET_PAYOUT_ADDRESS,
          network: 'regtest',
          coinbaseTag: '/Lode e2e/',
        },
      },
      ports: [
        {
          name: 'main',
          host: '127.0.0.1',
          port: 0,
          coin: 'btc',
          difficulty: { initial: 0.001, vardiff: { targetShareSeconds: 1, retargetSeconds: 10, variancePercent: 30, min: 0.00001, max: 1e6 } },
        },
      ],
      // a sample of the pool hashrate every second, so the chart fills within the test
      api: { host: '127.0.0.1', port: 0, historyIntervalSeconds: 1 },
      shutdownGraceSeconds: 2,
    };
    const configFile = join(dir, 'pool.json');
    writeFileSync(configFile, JSON.stringify(config));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', configFile, '--json']);
    apiUrl = (JSON.parse(await pool.waitFor(/read API listening/, 60000)) as { url: string }).url;
    const stratumUrl = (JSON.parse(await pool.waitFor(/pool listening/, 60000)) as { url: string }).url;
    miner = spawnLogged('miner', entryPoints.miner, ['--url', stratumUrl, '--user', WORKER, '--threads', '1', '--stats-interval', '5']);
    await miner.waitFor(/share accepted/, 90000);

    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource:')) pageErrors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) failedRequests.add(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([miner, pool, devnet].filter((p): p is LoggedProcess => p !== undefined).map((p) => p.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('samples the pool hashrate at the configured interval for the API', async () => {
    const history = (await (await fetch(`${apiUrl}/api/history/btc`)).json()) as { intervalSeconds: number; points: unknown[] };
    expect(history.intervalSeconds).toBe(1);
  });

  it('draws the hashrate chart and lists the miner in the workers table', async () => {
    await page.goto(`${apiUrl}/`, { waitUntil: 'load', timeout: 30000 });
    expect(page.url()).toBe(`${apiUrl}/dashboard/`);

    // The chart: Chart.js's own view of the canvas, with at least one sample above 0 H/s.
    await page.waitForFunction(
      () => {
        const g = globalThis as unknown as BrowserGlobals;
        const data = g.Chart?.getChart(g.document.getElementById('hashrate-chart'))?.data.datasets[0]?.data ?? [];
        return data.length > 0 && data.some((v) => typeof v === 'number' && v > 0);
      },
      undefined,
      { timeout: 90000, polling: 500 },
    );
    const samples = await page.evaluate(() => {
      const g = globalThis as unknown as BrowserGlobals;
      const chart = g.Chart?.getChart(g.document.getElementById('hashrate-chart'));
      return { labels: chart?.data.labels.length ?? 0, values: (chart?.data.datasets[0]?.data ?? []) as number[] };
    });
    expect(samples.values.length).toBeGreaterThan(0);
    expect(samples.labels).toBe(samples.values.length);
    expect(Math.max(...samples.values)).toBeGreaterThan(0);

    // The workers table: the miner's row, with a hashrate and accepted shares.
    const row = page.locator(`#workers tbody tr[data-worker="${WORKER}"]`);
    await row.waitFor({ state: 'visible', timeout: 60000 });
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe(WORKER);
    expect(cells[1]).toMatch(/^[0-9.]+ [kMGTPEZ]?H\/s$/);
    expect(cells[1]).not.toBe('0 H/s');
    expect(Number(cells[2]?.replace(/,/g, ''))).toBeGreaterThan(0);

    // The port the miner is connected to, with its connection counted.
    const port = page.locator('#ports tbody tr[data-port="main"] td');
    await port.first().waitFor({ state: 'visible', timeout: 30000 });
    const portCells = await port.allTextContents();
    expect(portCells.slice(0, 3)).toEqual(['main', 'btc', 'bitcoin']);
    expect(portCells[3]).toMatch(/^stratum\+tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(portCells[6])).toBeGreaterThanOrEqual(1);
  });

  it("looks up the miner's address and shows its worker", async () => {
    await page.fill('#lookup-address', ADDRESS);
    await page.click('#lookup-submit');
    await page.locator('#lookup-result[data-state="found"]').waitFor({ state: 'visible', timeout: 30000 });
    const lookupRow = page.locator(`#lookup-workers tbody tr[data-worker="${WORKER}"]`);
    await lookupRow.waitFor({ state: 'visible', timeout: 30000 });
    expect(await page.locator('#lookup-message').textContent()).toBe(`1 worker(s) for ${ADDRESS} on btc`);
    expect(page.url()).toBe(`${apiUrl}/dashboard/#address=${ADDRESS}`);

    // An address with no workers is told apart from a failure.
    await page.fill('#lookup-address', 'bcrt1qnobody');
    await page.click('#lookup-submit');
    await page.locator('#lookup-result[data-state="not-found"]').waitFor({ state: 'visible', timeout: 30000 });
    await page.fill('#lookup-address', ADDRESS);
    await page.click('#lookup-submit');
    await page.locator('#lookup-result[data-state="found"]').waitFor({ state: 'visible', timeout: 30000 });
  });

  it('saves a screenshot as a test artefact, with no error logged by the page', async () => {
    await page.locator('#status[data-state="ok"]').waitFor({ timeout: 30000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    rmSync(SCREENSHOT, { force: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // a PNG file: its 8-byte signature
    expect(readFileSync(SCREENSHOT).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(pageErrors).toEqual([]);
    // the one failed request is the lookup of an address with no workers
    expect([...failedRequests]).toEqual(['404 /api/miners/btc/bcrt1qnobody']);
  });
});
