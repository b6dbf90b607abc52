// The HTML report in a real headless Chromium (Debian's chromium, driven by playwright-core):
// it loads offline with no console errors and shows the totals and a failing assertion.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { serve, type Running } from './helpers/servers.js';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = CANDIDATES.find((p): p is string => !!p && existsSync(p));
// CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
const skip = !executablePath && process.env['CI'] !== 'true';
const SKIP_REASON = `skipped: no Chromium at ${CANDIDATES.filter(Boolean).join(', ')}; install Debian's chromium or set CHROMIUM_PATH (CI=true requires it)`;
if (skip) console.warn(`html-report browser test ${SKIP_REASON}`);

let standin: Standin;
let brokenApi: Running;
let dir: string;
let code: number | null;

beforeAll(async () => {
  standin = await startStandin();
  // An events API that breaks its contract, so the report has failures to show.
  brokenApi = await serve((req, res) => {
    res.writeHead(req.url?.startsWith('/events/') ? 500 : 200, { 'Content-Type': 'application/vnd.api+json' });
    res.end(JSON.stringify({ data: [{ id: '00000000-0000-4000-8000-000000000001', type: 'events' }] }));
  });
  dir = mkdtempSync(join(tmpdir(), 'gdx-html-'));
  const res = await runCli(
    [
      'smoke',
      '--env',
      'dev',
      '--folder',
      'Get an access token',
      '--folder',
      'Acquirer: events',
      '--token-url',
      standin.tokenUrl,
      '--base-url',
      brokenApi.url,
      '--reporters',
      'html,json',
      '--out',
      dir,
    ],
    { env: cleanEnv({ GDX_DEV_CLIENT_ID: LOCAL_CLIENTS.acquirer.clientId, GDX_DEV_CLIENT_SECRET: LOCAL_CLIENTS.acquirer.clientSecret }), cwd: dir },
  );
  code = res.code;
});
afterAll(async () => {
  await standin.stop();
  await brokenApi.close();
});

describe('--reporters html', () => {
  it('writes one self-contained file: no scripts, fonts, styles or images from elsewhere', () => {
    expect(code).toBe(1);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href=/i);
    expect(html).toContain("default-src 'none'");
  });

  it('puts failures first', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const rows = [...html.matchAll(/<tr class="(failed|passed|skipped)">/g)].map((m) => m[1]);
    expect(rows.length).toBeGreaterThan(3);
    const firstPass = rows.indexOf('passed');
    expect(rows.slice(0, firstPass).every((r) => r === 'failed')).toBe(true);
    expect(rows.slice(firstPass)).not.toContain('failed');
  });

  it.skipIf(skip)(
    `loads in headless Chromium offline, without console errors, and shows totals and a failing assertion${skip ? ` (${SKIP_REASON})` : ''}`,
    async () => {
      expect(executablePath, 'install Debian chromium (apt-get install chromium) or set CHROMIUM_PATH').toBeDefined();
      const browser = await chromium.launch({
        executablePath: executablePath!,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const problems: string[] = [];
        const fetched: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        page.on('request', (r) => fetched.push(r.url()));
        const url = pathToFileURL(join(dir, 'report.html')).href;
        await page.goto(url, { waitUntil: 'load', timeout: 15_000 });
        expect(problems).toEqual([]);
        expect(fetched).toEqual([url]);

        // The headline counts failed requests; the schema errors stand beside them, not added in.
        await expect(page.title()).resolves.toMatch(/^GDX smoke run: failed \(\d+ failed requests? \(\d+ schema errors?\)\)$/);
        const totals = page.locator('table.totals').first();
        await expect(totals.locator('th').allInnerTexts()).resolves.toEqual(
          expect.arrayContaining(['requests', 'failed requests', 'assertions', 'failed assertions', 'schema errors', 'token requests']),
        );
        const alert = await page.getByRole('alert').first().innerText();
        expect(alert).toMatch(/^\d+ failed requests?( \(\d+ schema errors?\))?$/);
        const firstRow = page.locator('table.requests tr.failed').first();
        await expect(firstRow.innerText()).resolves.toMatch(/FAIL[\s\S]*Acquirer: events[\s\S]*(status is 200|schema)/);
        const failing = await page.locator('li.bad').first().innerText();
        expect(failing).toMatch(/^✗ /);
        const color = await page
          .locator('tr.failed td')
          .first()
          .evaluate((el) => getComputedStyle(el).backgroundColor);
        expect(color).toBe('rgb(251, 233, 231)');

        const shot = join(dir, 'report.png');
        await page.screenshot({ path: shot, fullPage: true });
        expect(readFileSync(shot).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      } finally {
        await browser.close();
      }
    },
  );
});
