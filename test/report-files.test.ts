// Report files are written atomically: a temporary file beside the report, then a rename. A run
// killed mid-write, or two runs into the same --out, never leaves a torn junit.xml for CI to read.
import { spawn } from 'node:child_process';
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

  it('two writers at once, their writes overlapping: a reader never sees a torn file, where plain writes tear', async () => {
    /** Two writer processes (A and B) writing a 2 MB junit.xml 40 times each, read as fast as this
     * process can meanwhile: what the reads found, and when each writer ran. */
    const race = async (how: 'atomic' | 'plain') => {
      const dir = mkdtempSync(join(tmpdir(), `gdx-race-${how}-`));
      const file = join(dir, 'junit.xml');
      const whole = (letter: string) => `<r>${letter.repeat(2_000_000)}</r>\n`;
      const writers = ['A', 'B'].map((letter) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test', 'helpers', 'report-writer.ts'), dir, letter, '40', how], {
          cwd: PROJECT_ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        return new Promise<{ began: number; ended: number }>((resolve, reject) =>
          child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { began: number; ended: number }) : reject(new Error(`writer exited ${code}`)))),
        );
      });
      const state = { running: true };
      void Promise.allSettled(writers).then(() => (state.running = false));
      const seen = { whole: new Set<string>(), torn: 0, reads: 0 };
      while (state.running) {
        for (let i = 0; i < 20; i++) {
          let text: string;
          try {
            text = readFileSync(file, 'utf8');
          } catch {
            continue; // not written yet
          }
          seen.reads++;
          if (text === whole('A') || text === whole('B')) seen.whole.add(text[3]!);
          else seen.torn++;
        }
        await new Promise((r) => setImmediate(r));
      }
      return { ...seen, times: await Promise.all(writers) };
    };

    const atomic = await race('atomic');
    // The two writers ran at the same time: each began before the other ended.
    expect(Math.max(...atomic.times.map((t) => t.began))).toBeLessThan(Math.min(...atomic.times.map((t) => t.ended)));
    expect(atomic.reads).toBeGreaterThan(0);
    expect(atomic.torn).toBe(0);
    expect([...atomic.whole].sort()).toEqual(['A', 'B']);
    // The same race with writeFileSync: the reader does see torn files, so it would see ours.
    const plain = await race('plain');
    expect(plain.torn).toBeGreaterThan(0);
  }, 60_000);

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
