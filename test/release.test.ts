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
import { tokenizer } from 'acorn';
import { parse as parseYaml } from 'yaml';
import yauzl from 'yauzl';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { cleanCheckout, MANIFEST } from './helpers/package-install.js';
import { expectedGeneratedFiles } from './helpers/files.js';

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
    const expectedV3 = expectedGeneratedFiles().filter((f) => f.startsWith('postman/'));
    expect(v3.map((n) => n.slice(TOP.length)).sort()).toEqual(expectedV3);
    for (const n of v3) expect(zip.get(n)!.equals(readFileSync(join(PROJECT_ROOT, n.slice(TOP.length)))), n).toBe(true);
    expect(zip.get(`${TOP}README.txt`)!.toString()).toContain(`version ${MANIFEST.version}`);
    expect(zip.get(`${TOP}testers.html`)!.toString()).toMatch(/^<!DOCTYPE html>/);
    // A page that travels alone links nothing outside itself but the web.
    expect(zip.get(`${TOP}testers.html`)!.toString()).not.toMatch(/href="(?!#|https?:|mailto:)/);
    // The v2.1 files, the v3 tree, README.txt, testers.html and get-token.sh.
    expect(names).toHaveLength(expectedGeneratedFiles().length + 3);
    expect(zip.get(`${TOP}scripts/get-token.sh`)?.equals(readFileSync(join(PROJECT_ROOT, 'scripts', 'get-token.sh')))).toBe(true);
  });

  it('speaks only of what the zip holds and what its reader can run: every text, file by file', async () => {
    const zip = await entries(join(RELEASE, ZIP));
    const held = new Set([...zip.keys()].map((n) => n.slice(TOP.length)));
    const problems: string[] = [];
    for (const [name, bytes] of zip) {
      const file = name.slice(TOP.length);
      for (const problem of zipTextProblems(file, readable(file, bytes.toString('utf8')), held)) problems.push(`${file}: ${problem}`);
    }
    expect(problems).toEqual([]);
    // The checker finds what it is there to find.
    expect(zipTextProblems('README.txt', 'Run npm run doctor -- --env demo, as the README says.', held)).toEqual([
      'says "npm run" (a command of a clone, not of the zip): Run npm run doctor -- --env demo, as the README says.',
      'says "the README" (a file the zip does not hold): Run npm run doctor -- --env demo, as the README says.',
    ]);
    expect(zipTextProblems('README.txt', 'See docs/testers.md, section 5.', held)).toEqual(['names docs/testers.md, which the zip does not hold']);
    expect(zipTextProblems('README.txt', 'Then run gdx-data-share doctor --env demo.', held)).toEqual([
      'runs gdx-data-share doctor without saying it needs Node.js: Then run gdx-data-share doctor --env demo.',
    ]);
    expect(
      zipTextProblems('README.txt', 'With Node.js, gdx-data-share doctor --env demo. See collections/gdx-data-share.<env>.postman_collection.json.', held),
    ).toEqual([]);
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

/** The words of a file as its reader meets them: a page's text without its markup or its contents
 * list; of a collection, its descriptions and, of each script, its comments and string literals
 * (the header, the messages); any other file as it is. */
function readable(file: string, text: string): string {
  if (file.endsWith('.html')) {
    return text
      .replace(/<style>[\s\S]*?<\/style>/g, '')
      .replace(/<nav[\s\S]*?<\/nav>/g, '')
      .replace(/<\/(p|li|h\d|pre|td|th|tr)>/g, '\n\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'");
  }
  const value: unknown = file.endsWith('.json') ? JSON.parse(text) : file.endsWith('.yaml') ? parseYaml(text) : undefined;
  if (value === undefined) return text;
  const texts: string[] = [];
  const visit = (node: unknown, key = ''): void => {
    if (typeof node === 'string') {
      if (key === 'description') texts.push(node);
      if (key === 'code') texts.push(...scriptTexts(node));
    } else if (Array.isArray(node)) {
      if (key === 'exec') texts.push(...scriptTexts(node.join('\n')));
      else node.forEach((n) => visit(n));
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) visit(v, k);
    }
  };
  visit(value);
  return texts.join('\n\n');
}

/** What a script says to a person: its comment lines and its string literals. */
function scriptTexts(code: string): string[] {
  const said: string[] = [];
  for (const t of tokenizer(code, { ecmaVersion: 2019, onComment: (_block, comment) => said.push(comment.trim()) })) {
    if (t.type.label === 'string') said.push(String((t as unknown as { value: unknown }).value));
  }
  return said;
}

/** Files a text may name that are not in the zip: what sits beside it in the release, and what the
 * reader makes (a .env, a report, their department's CA). */
const BESIDE_OR_MADE = [
  /^SHA256SUMS$/,
  // A placeholder for a file of the reader's own (--ssl-extra-ca-certs FILE.pem).
  /^[A-Z]+\.pem$/,
  /^gdx-data-share-postman-(<version>|\d+\.\d+\.\d+)\.tgz$/,
  /^\.env$/,
  /^(reports\/)?(junit\.xml|summary\.json|report\.html)$/,
  /^department-root-ca\.pem$/,
];

/** What is wrong with one text of the zip: a phrase that points outside it, a file it does not
 * hold, or a command of the package said without saying that it needs Node.js. */
function zipTextProblems(file: string, text: string, held: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const paragraphs = text.split(/\n\s*\n|\\n\\n|",\s*"/);
  for (const [phrase, why] of [
    [/npm run/, 'a command of a clone, not of the zip'],
    [/node scripts\//, 'a command of a clone, not of the zip'],
    [/this (repository|project)/i, 'a place the zip is not'],
    [/the README\b/i, 'a file the zip does not hold'],
  ] as const) {
    for (const p of paragraphs.filter((x) => phrase.test(x))) problems.push(`says "${phrase.exec(p)![0]}" (${why}): ${p.trim().slice(0, 200)}`);
  }
  const named = /(?:^|[\s`'"(])((?:[\w.<>-]+\/)*[\w.<>-]+\.(?:md|json|ya?ml|sh|txt|html|mjs|cjs|ts|tgz|pem|xml))(?=[\s`'"),:;]|\.(?:\s|$)|$)/gm;
  for (const m of text.matchAll(named)) {
    const path = m[1]!.replace(/^\.\//, '');
    const candidates = ['dev', 'demo', 'integration', 'local'].map((env) => path.replace(/<env>/g, env));
    const inZip = candidates.some((c) => held.has(c) || [...held].some((h) => h.endsWith(`/${c}`)));
    // A pointer for a clone ("docs/testers.md in the repository") says where it is; a URL's path is no file.
    const forAClone = text.slice(m.index + m[0].length).startsWith(' in the repository');
    const urlPath = /^<\w+>\//.test(path) || path.includes('.well-known/');
    if (!inZip && !forAClone && !urlPath && !BESIDE_OR_MADE.some((r) => r.test(path))) problems.push(`names ${path}, which the zip does not hold`);
  }
  // In the handbook, section 6 onwards is "From a terminal", which says what the command needs.
  const terminal = file === 'testers.html' ? text.indexOf('6. From a terminal\n') : -1;
  let at = 0;
  for (const p of paragraphs) {
    const start = text.indexOf(p, at);
    at = start < 0 ? at : start;
    const afterTerminal = terminal >= 0 && at > terminal;
    if (/gdx-data-share (smoke|token|doctor|standin|export)\b/.test(p) && !/Node\.js|terminal|npm install/.test(p) && !afterTerminal) {
      problems.push(`runs ${/gdx-data-share \w+/.exec(p)![0]} without saying it needs Node.js: ${p.trim().slice(0, 200)}`);
    }
  }
  return [...new Set(problems)];
}

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = CANDIDATES.find((p): p is string => !!p && existsSync(p));
const skip = !executablePath && process.env['CI'] !== 'true';

describe.skipIf(skip)(`testers.html in headless Chromium${skip ? ' (skipped: no Chromium; CI=true requires it)' : ''}`, () => {
  for (const width of [1280, 400]) {
    it(`at ${width} px: reads offline (nothing fetched), opens with a contents list, says each code block's shell, reads its tables, and has no axe WCAG 2.2 A/AA violation`, async () => {
      const zip = await entries(join(RELEASE, ZIP));
      const page = join(root, 'testers.html');
      writeFileSync(page, zip.get(`${TOP}testers.html`)!);
      const browser = await chromium.launch({
        executablePath: executablePath!,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      });
      try {
        // The page forbids every script (its CSP); axe is put in by the browser's own means.
        const tab = await browser.newPage({ viewport: { width, height: 900 }, bypassCSP: true });
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
        const shot = join(root, `testers-${width}.png`);
        await tab.screenshot({ path: shot, fullPage: true });
        // A PNG of the page's full width: its IHDR holds the width at byte 16.
        expect(readFileSync(shot).readUInt32BE(16)).toBe(width);

        const layout = await tab.evaluate(() => {
          const main = document.querySelector('main')!;
          const sections = [...main.querySelectorAll('h2[id], h3[id]')].filter((h) => !h.closest('nav')).map((h) => h.id);
          const nav = document.querySelector('nav.gdx-contents');
          const linked = [...(nav?.querySelectorAll('a') ?? [])].map((a) => a.getAttribute('href')!.slice(1));
          const firstAfterTitle = document.querySelector('h1')!.nextElementSibling;
          const pres = [...document.querySelectorAll('pre')];
          const labels = pres.map((pre) => {
            const label = document.getElementById(pre.getAttribute('aria-labelledby') ?? '');
            return label && label.getBoundingClientRect().height > 0 ? label.textContent : '';
          });
          const cells = [...document.querySelectorAll('main td')].map((td) => td.getBoundingClientRect().width);
          const sideways = pres.filter((pre) => pre.scrollWidth > pre.clientWidth + 1).length;
          const header = document.querySelector('header')!.getBoundingClientRect().height;
          const name = parseFloat(getComputedStyle(document.querySelector('.govuk-header__service-name')!).fontSize);
          return {
            sections,
            linked,
            opens: firstAfterTitle === nav,
            labels,
            narrowest: Math.min(...cells),
            sideways,
            header,
            name,
            scroll: document.documentElement.scrollWidth,
          };
        });
        expect(layout.opens).toBe(true);
        expect(layout.linked).toEqual(layout.sections);
        expect(layout.sections.length).toBeGreaterThan(25);
        expect(new Set(layout.labels)).toEqual(new Set(['In a shell (bash, zsh, Git Bash):', 'In PowerShell (Windows):']));
        expect(layout.sideways).toBe(0);
        expect(layout.scroll).toBeLessThanOrEqual(width);
        // At 400 px every cell has the row to itself (a column of one word a line is at most ~100 px).
        if (width === 400) expect(layout.narrowest).toBeGreaterThan(300);
        expect(layout.header).toBeGreaterThanOrEqual(50);
        expect(layout.name).toBeGreaterThanOrEqual(24);

        await tab.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
        const result = (await tab.evaluate(() =>
          (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
          }),
        )) as { violations: { id: string; nodes: unknown[] }[]; passes: unknown[] };
        expect(result.violations.map((v) => `${v.id} (${v.nodes.length})`)).toEqual([]);
        expect(result.passes.length).toBeGreaterThan(10);
        console.log(`testers.html at ${width} px: ${shot}`);
      } finally {
        await browser.close();
      }
    }, 120_000);
  }
});
