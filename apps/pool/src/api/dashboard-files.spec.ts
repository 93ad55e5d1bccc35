import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@lode/stratum-core';
import { DashboardFiles, defaultDashboardDir } from './dashboard-files';
import { startReadApi, type RunningReadApi } from './start-read-api';

const SRC_DASHBOARD = join(__dirname, '..', 'dashboard');

/** GET with the target sent byte for byte (fetch would normalise "/a/../b" before sending). */
function rawGet(base: string, target: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard files of the read API', () => {
  let api: RunningReadApi;

  beforeAll(async () => {
    api = await startReadApi({ host: '127.0.0.1', port: 0 }, silentLogger);
  });
  afterAll(async () => api.close());

  describe('when the page is asked for', () => {
    it('redirects / and /dashboard to dashboard/ (relative, so a proxy prefix survives)', async () => {
      for (const path of ['/', '/dashboard']) {
        const res = await rawGet(api.url, path);
        expect(res.status).toBe(302);
        expect(res.headers['location']).toBe('dashboard/');
      }
    });

    it('serves index.html at /dashboard/ as HTML with a same-origin content security policy', async () => {
      const res = await rawGet(api.url, '/dashboard/');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.body).toBe(readFileSync(join(SRC_DASHBOARD, 'index.html'), 'utf8'));
      expect(res.body).toContain('<canvas id="hashrate-chart"');
      expect(res.body).toContain('<table id="workers"');
    });

    it('serves the script and the style sheet from the dashboard directory with their types', async () => {
      const js = await rawGet(api.url, '/dashboard/dashboard.js');
      expect(js).toMatchObject({ status: 200, body: readFileSync(join(SRC_DASHBOARD, 'dashboard.js'), 'utf8') });
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      const css = await rawGet(api.url, '/dashboard/dashboard.css');
      expect(css).toMatchObject({ status: 200, body: readFileSync(join(SRC_DASHBOARD, 'dashboard.css'), 'utf8') });
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    });

    it("serves Chart.js 4.6.1's UMD build from the chart.js package", async () => {
      const res = await rawGet(api.url, '/dashboard/chart.umd.js');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.body.startsWith('/*!\n * Chart.js v4.6.1\n')).toBe(true);
    });

    it('answers HEAD with the length of the file and no body', async () => {
      const res = await rawGet(api.url, '/dashboard/dashboard.css', 'HEAD');
      expect(res.status).toBe(200);
      expect(Number(res.headers['content-length'])).toBe(readFileSync(join(SRC_DASHBOARD, 'dashboard.css')).length);
      expect(res.body).toBe('');
    });
  });

  describe('when a path tries to leave the dashboard directory or names another file', () => {
    it.each([
      '/dashboard/../package.json',
      '/dashboard/../../package.json',
      '/dashboard/%2e%2e/%2e%2e/package.json',
      '/dashboard/..%2f..%2fpackage.json',
      '/dashboard/..%5c..%5cpackage.json',
      '/dashboard/%2e%2e%2fapi%2fstart-read-api.ts',
      '/dashboard/./index.html',
      '/dashboard//etc/passwd',
      '/dashboard/%2fetc%2fpasswd',
      '/dashboard/..',
      '/dashboard/.',
      '/dashboard/.hidden',
      '/dashboard/start-read-api.ts',
      '/dashboard/chart.umd.js.map',
      '/dashboard/index.html%00.js',
      '/dashboard/dashboard.js/x',
      '/dashboard/__proto__',
      '/dashboard/constructor',
      '/..%2fpackage.json',
      '/api/../dashboard/index.html',
    ])('answers 404 JSON to %s', async (target) => {
      const res = await rawGet(api.url, target);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(res.body)).toEqual({ error: expect.stringMatching(/^no such (path|dashboard file)/) });
    });
  });

  describe('when a file is asked for with another method', () => {
    it('answers 405', async () => {
      expect((await rawGet(api.url, '/dashboard/', 'POST')).status).toBe(405);
    });
  });
});

describe('the dashboard files of the read API', () => {
  describe('when the dashboard is turned off', () => {
    it('answers 404 for the page and the redirects, and still serves the API', async () => {
      const api = await startReadApi({ host: '127.0.0.1', port: 0, dashboard: false }, silentLogger);
      try {
        for (const path of ['/', '/dashboard', '/dashboard/', '/dashboard/chart.umd.js']) expect((await rawGet(api.url, path)).status).toBe(404);
        expect((await rawGet(api.url, '/health')).status).toBe(200);
      } finally {
        await api.close();
      }
    });
  });

  describe('when dashboardDir names another directory', () => {
    it('serves its allow-listed files and answers 404 for one that is missing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lode-dashboard-'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>custom</title>');
      const api = await startReadApi({ host: '127.0.0.1', port: 0, dashboardDir: dir }, silentLogger);
      try {
        expect(await rawGet(api.url, '/dashboard/')).toMatchObject({ status: 200, body: '<!doctype html><title>custom</title>' });
        expect(await rawGet(api.url, '/dashboard/dashboard.js')).toMatchObject({ status: 404, body: '{"error":"no such dashboard file: dashboard.js"}' });
      } finally {
        await api.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('DashboardFiles', () => {
  describe('when built without a directory', () => {
    it('finds apps/pool/src/dashboard from the module (sources here; ../../src/dashboard from dist/api)', () => {
      expect(defaultDashboardDir()).toBe(SRC_DASHBOARD);
      expect(new DashboardFiles().dir).toBe(SRC_DASHBOARD);
    });
  });

  describe('when asked for a name off the allow-list', () => {
    it('answers undefined without touching the file system', async () => {
      const files = new DashboardFiles('/nonexistent');
      for (const name of ['../package.json', 'package.json', 'toString', 'hasOwnProperty', '']) expect(await files.read(name)).toBeUndefined();
    });
  });
});
