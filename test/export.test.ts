// `export` writes the files the package ships into a tester's folder: byte for byte the
// repository's, at the same relative paths; a file the tester changed is never overwritten
// without --force, and nothing at all is written when one would be.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { runCli } from './helpers/cli.js';
import { expectedGeneratedFiles } from './helpers/files.js';

/** Every file under the repository's collections/, environments/ and postman/, found here. */
function shipped(dir: string, under = ''): string[] {
  return readdirSync(join(dir, under), { withFileTypes: true }).flatMap((e) => {
    const path = under ? `${under}/${e.name}` : e.name;
    return e.isDirectory() ? shipped(dir, path) : [path];
  });
}
const ALL = ['collections', 'environments', 'postman'].flatMap((top) => shipped(PROJECT_ROOT, top)).sort();

const dirs: string[] = [];
const folder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'gdx-export-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('export', () => {
  it('writes every environment in both forms into ./gdx-data-share-files, the same bytes at the same paths, and says so', async () => {
    const cwd = folder();
    const res = await runCli(['export'], { cwd });
    expect(res.code, res.stderr).toBe(0);
    const out = join(cwd, 'gdx-data-share-files');
    expect(shipped(out).sort()).toEqual(ALL);
    // The committed files are the ones the catalogue says there must be, and each went out.
    expect(ALL).toEqual(expectedGeneratedFiles());
    for (const path of ALL) expect(readFileSync(join(out, path)).equals(readFileSync(join(PROJECT_ROOT, path))), path).toBe(true);
    expect(res.stdout.split('\n')[0]).toMatch(new RegExp(`^gdx-data-share-postman \\d+\\.\\d+\\.\\d+: ${ALL.length} files written to .*gdx-data-share-files$`));
    expect(res.stdout).toContain('\n  collections/gdx-data-share.demo.postman_collection.json\n');
    expect(res.stdout).toContain('\n  postman/environments/integration.yaml\n');

    const again = await runCli(['export'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`: 0 files written to .*, ${ALL.length} files there already the same\\n$`));
  });

  it('refuses, naming the file, to overwrite one that differs, and writes nothing else; --force overwrites', async () => {
    const cwd = folder();
    expect((await runCli(['export', '--env', 'demo', '--format', 'v2.1', '--out', 'files'], { cwd })).code).toBe(0);
    const edited = join(cwd, 'files', 'environments', 'gdx-data-share.demo.postman_environment.json');
    const collection = join(cwd, 'files', 'collections', 'gdx-data-share.demo.postman_collection.json');
    writeFileSync(edited, '{"edited": true}\n');
    rmSync(collection);
    const res = await runCli(['export', '--env', 'demo', '--format', 'v2.1', '--out', 'files'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'error: files/environments/gdx-data-share.demo.postman_environment.json differs from the file this version ships: pass --force to overwrite it, or choose another --out\n',
    );
    expect(readFileSync(edited, 'utf8')).toBe('{"edited": true}\n');
    expect(existsSync(collection)).toBe(false);

    const forced = await runCli(['export', '--env', 'demo', '--format', 'v2.1', '--out', 'files', '--force'], { cwd });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(edited).equals(readFileSync(join(PROJECT_ROOT, 'environments', 'gdx-data-share.demo.postman_environment.json')))).toBe(true);
    expect(existsSync(collection)).toBe(true);
  });

  it('writes only what --env and --format ask for', async () => {
    const cwd = folder();
    expect((await runCli(['export', '--env', 'demo', '--format', 'v2.1', '--out', '.'], { cwd })).code).toBe(0);
    expect(shipped(cwd).sort()).toEqual([
      'collections/gdx-data-share.demo.postman_collection.json',
      'environments/gdx-data-share.demo.postman_environment.json',
    ]);
    const v3 = folder();
    expect((await runCli(['export', '--env', 'dev,local', '--format', 'v3', '--out', '.'], { cwd: v3 })).code).toBe(0);
    const written = shipped(v3);
    expect(
      written.every(
        (p) =>
          p.startsWith('postman/collections/GDX Data Share (dev)/') ||
          p.startsWith('postman/collections/GDX Data Share (local)/') ||
          /^postman\/environments\/(dev|local)\.yaml$/.test(p),
      ),
    ).toBe(true);
    expect(written).toContain('postman/environments/local.yaml');
    expect(written).toContain('postman/collections/GDX Data Share (dev)/Get an access token/Basic authorization.request.yaml');
  });

  it('says what to do with an unknown environment or format (exit 2)', async () => {
    const cwd = folder();
    const env = await runCli(['export', '--env', 'prod'], { cwd });
    expect(env.code).toBe(2);
    expect(env.stderr).toBe('error: unknown environment "prod": use one of dev, demo, integration, local, or all\n');
    const format = await runCli(['export', '--format', 'v4'], { cwd });
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/^error: Invalid values:/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
