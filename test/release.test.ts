// npm run release, from a clean checkout: the tarball, the zip for testers with Postman only
// (every environment's files byte for byte, the v3 tree, README.txt and the handbook as one
// GOV.UK-styled page that reads offline, with no axe WCAG A/AA violation), a CycloneDX SBOM naming
// newman and the version, and SHA256SUMS that verify. A second run gives the same zip bytes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { cleanCheckout, MANIFEST } from './helpers/package-install.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'gdx-release-'));
const checkout = join(root, 'checkout');
const RELEASE = join(checkout, 'release');
const ZIP = `gdx-data-share-collections-${MANIFEST.version}.zip`;
const TOP = `gdx-data-share-collections-${MANIFEST.version}/`;
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
let firstZip = '';

const release = () => run('npm', ['run', '-s', 'release'], { cwd: checkout, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });

beforeAll(async () => {
  mkdirSync(checkout);
  await cleanCheckout(checkout);
  // The release is dated by its commit: a checkout without git gives the time this way.
  process.env['SOURCE_DATE_EPOCH'] = '1764547200';
  await release();
  firstZip = sha256(readFileSync(join(RELEASE, ZIP)));
}, 300_000);
afterAll(() => {
  delete process.env['SOURCE_DATE_EPOCH'];
  rmSync(root, { recursive: true, force: true });
});

function entries(zipFile: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.open(zipFile, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

describe('npm run release', () => {
  it('writes the tarball, the zip, the SBOM and SHA256SUMS, which verify', () => {
    const names = readdirSync(RELEASE).sort();
    expect(names).toEqual([`${MANIFEST.name}-${MANIFEST.version}.cdx.json`, `${MANIFEST.name}-${MANIFEST.version}.tgz`, ZIP, 'SHA256SUMS'].sort());
    const lines = readFileSync(join(RELEASE, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const [sum, name] = line.split('  ');
      expect(sha256(readFileSync(join(RELEASE, name!))), name).toBe(sum);
    }
  });

  it("zips every environment's v2.1 pair under the repository's names, the v3 tree, README.txt and testers.html, byte for byte", async () => {
    const zip = await entries(join(RELEASE, ZIP));
    const names = [...zip.keys()];
    expect(names.every((n) => n.startsWith(TOP))).toBe(true);
    for (const env of ['dev', 'demo', 'integration', 'local']) {
      for (const path of [
        `collections/gdx-data-share.${env}.postman_collection.json`,
        `environments/gdx-data-share.${env}.postman_environment.json`,
        `postman/environments/${env}.yaml`,
      ])
        expect(zip.get(TOP + path)?.equals(readFileSync(join(PROJECT_ROOT, path))), path).toBe(true);
    }
    const v3 = names.filter((n) => n.startsWith(`${TOP}postman/`));
    expect(v3.length).toBe(87);
    for (const n of v3) expect(zip.get(n)!.equals(readFileSync(join(PROJECT_ROOT, n.slice(TOP.length)))), n).toBe(true);
    expect(zip.get(`${TOP}README.txt`)!.toString()).toContain(`version ${MANIFEST.version}`);
    expect(zip.get(`${TOP}testers.html`)!.toString()).toMatch(/^<!DOCTYPE html>/);
    // A page that travels alone links nothing outside itself but the web.
    expect(zip.get(`${TOP}testers.html`)!.toString()).not.toMatch(/href="(?!#|https?:|mailto:)/);
    expect(names).toHaveLength(8 + 87 + 2);
  });

  it("carries the bundle's CycloneDX SBOM, byte for byte the one inside the tarball: the version, newman, and no development package", async () => {
    const bom = JSON.parse(readFileSync(join(RELEASE, `${MANIFEST.name}-${MANIFEST.version}.cdx.json`), 'utf8')) as {
      bomFormat: string;
      metadata: { component: { name: string; version: string } };
      components: { name: string; version: string }[];
    };
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.metadata.component).toMatchObject({ name: MANIFEST.name, version: MANIFEST.version });
    expect(bom.components).toContainEqual(expect.objectContaining({ name: 'newman', version: MANIFEST.devDependencies['newman'] }));
    const inside = await run('tar', ['-xzOf', join(RELEASE, `${MANIFEST.name}-${MANIFEST.version}.tgz`), 'package/dist/sbom.cdx.json'], {
      encoding: 'buffer',
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(inside.stdout.equals(readFileSync(join(RELEASE, `${MANIFEST.name}-${MANIFEST.version}.cdx.json`)))).toBe(true);
    for (const dev of ['vitest', 'typescript', 'eslint', 'playwright-core', 'esbuild'])
      expect(
        bom.components.some((c) => c.name === dev),
        dev,
      ).toBe(false);
  });

  it('gives the same zip bytes, and the same SBOM, from a second run of the same commit', async () => {
    const bomBefore = readFileSync(join(RELEASE, `${MANIFEST.name}-${MANIFEST.version}.cdx.json`));
    await release();
    expect(sha256(readFileSync(join(RELEASE, ZIP)))).toBe(firstZip);
    expect(readFileSync(join(RELEASE, `${MANIFEST.name}-${MANIFEST.version}.cdx.json`)).equals(bomBefore)).toBe(true);
  }, 300_000);
});

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = CANDIDATES.find((p): p is string => !!p && existsSync(p));
const skip = !executablePath && process.env['CI'] !== 'true';

describe.skipIf(skip)(`testers.html in headless Chromium${skip ? ' (skipped: no Chromium; CI=true requires it)' : ''}`, () => {
  it('reads offline (nothing fetched), is GOV.UK-styled, and has no axe WCAG 2.2 A/AA violation', async () => {
    const zip = await entries(join(RELEASE, ZIP));
    const page = join(root, 'testers.html');
    writeFileSync(page, zip.get(`${TOP}testers.html`)!);
    const browser = await chromium.launch({
      executablePath: executablePath!,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      // The page forbids every script (its CSP); axe is put in by the browser's own means.
      const tab = await browser.newPage({ viewport: { width: 1024, height: 800 }, bypassCSP: true });
      const fetched: string[] = [];
      const problems: string[] = [];
      tab.on('request', (r) => fetched.push(r.url()));
      tab.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      const url = pathToFileURL(page).href;
      await tab.goto(url, { waitUntil: 'load', timeout: 15_000 });
      expect(fetched).toEqual([url]);
      expect(problems).toEqual([]);
      await expect(tab.locator('h1.govuk-heading-xl').innerText()).resolves.toMatch(/^Tester.s handbook/);
      // GOV.UK's colours and spacing are in force: the body text is govuk-body's.
      const color = await tab
        .locator('p.govuk-body')
        .first()
        .evaluate((el) => getComputedStyle(el).color);
      expect(color).toBe('rgb(11, 12, 12)');
      await tab.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
      const result = (await tab.evaluate(() =>
        (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
        }),
      )) as { violations: { id: string; nodes: unknown[] }[]; passes: unknown[] };
      expect(result.violations.map((v) => `${v.id} (${v.nodes.length})`)).toEqual([]);
      expect(result.passes.length).toBeGreaterThan(10);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
