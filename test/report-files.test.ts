// Report files are written atomically: a temporary file beside the report, then a rename. A run
// killed mid-write, or two runs into the same --out, never leaves a torn junit.xml for CI to read.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyntaxValidator } from 'fast-xml-validator';
import { describe, expect, it } from 'vitest';
import { Output } from '../src/report/output.js';
import { Redactor } from '../src/report/redact.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { cleanEnv, runCli } from './helpers/cli.js';

const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('report files', () => {
  it('replace the old file by a rename (a new inode, never rewritten in place), 0600, with no temporary file left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-report-files-'));
    const redactor = new Redactor();
    redactor.addClient('a-client', 'the-secret-value');
    const output = new Output(redactor, { out: () => undefined, err: () => undefined });
    const first = output.file(dir, 'junit.xml', '<a>first</a>\n');
    const inode = statSync(first).ino;
    output.file(dir, 'junit.xml', '<a>second, quoting the-secret-value</a>\n');
    expect(statSync(first).ino).not.toBe(inode);
    expect(readFileSync(first, 'utf8')).not.toContain('the-secret-value');
    expect(readFileSync(first, 'utf8')).toMatch(/^<a>second, quoting .+<\/a>\n$/);
    expect(statSync(first).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['junit.xml']);
  });

  it('two runs at once into one --out both end well, and every report file there parses', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gdx-two-runs-'));
    const run = () => runCli(['smoke', '--reporters', 'junit,json,html', '--out', 'reports'], { cwd, env: cleanEnv(), timeoutMs: 120_000 });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const out = join(cwd, 'reports');
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'summary.json']);
    // Each names the version that wrote it, where the GDX team will look.
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(() => SyntaxValidator.validate(junit)).not.toThrow();
    expect(junit).toContain(`<property name="gdx-data-share-postman.version" value="${VERSION}"/>`);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { exitCode: number; tool: string; version: string };
    expect(summary).toMatchObject({ exitCode: 0, tool: 'gdx-data-share-postman smoke', version: VERSION });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<\/html>\n?$/);
    expect(html).toContain(` · gdx-data-share-postman ${VERSION} · `);
  }, 150_000);
});
