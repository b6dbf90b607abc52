import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'acorn';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import pc from 'postman-collection';
import { describe, expect, it } from 'vitest';
import { SANDBOX_LIBRARY, SANDBOX_SCRIPTS } from '../src/generate/sandbox-scripts.js';
import { collectionVariablesFor, generate } from '../src/generate/build.js';
import { readInputs } from '../src/generate/inputs.js';
import { ENVIRONMENTS, findEnvironment, LOCAL_CLIENTS, type EnvironmentName } from '../src/config/environments.js';
import { PROJECT_ROOT, SANDBOX_DIR } from '../src/config/paths.js';
import { loadSchemas } from '../src/schema-registry.js';
import { runCli } from './helpers/cli.js';
import { VERSION } from '../src/config/version.js';
import { HELPERS_DIVIDER, splitScript } from '../src/generate/library.js';
import { allItems, committedCollection, committedEnvironment, formFields, scriptConfig, type PostmanItem } from './helpers/files.js';

const NAMES = ENVIRONMENTS.map((e) => e.name);

function parseEs2019(source: string): void {
  parse(source, { ecmaVersion: 2019, sourceType: 'script', allowReturnOutsideFunction: false });
}

function scriptsOf(items: PostmanItem[]): string[] {
  return allItems(items).flatMap((i) => (i.event ?? []).map((e) => e.script.exec.join('\n')));
}

describe('generator output', () => {
  it('is deterministic: two runs give the same bytes, and they are the committed files', () => {
    const first = generate(readInputs());
    const second = generate(readInputs());
    expect(second).toEqual(first);
    // Per environment the v2.1 pair, and the v3 collection folder with its environment file.
    expect(first.filter((f) => /^(collections|environments)\//.test(f.path))).toHaveLength(ENVIRONMENTS.length * 2);
    for (const env of ENVIRONMENTS) {
      expect(first.map((f) => f.path)).toContain(`postman/environments/${env.name}.yaml`);
      expect(first.map((f) => f.path)).toContain(`postman/collections/GDX Data Share (${env.name})/.resources/definition.yaml`);
    }
    for (const f of first) expect(readFileSync(join(PROJECT_ROOT, f.path), 'utf8'), f.path).toBe(f.content);
  });

  it('generate --check passes on fresh output and names a stale file with exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-gen-'));
    expect((await runCli(['generate', '--dir', dir])).code).toBe(0);
    expect((await runCli(['generate', '--dir', dir, '--check'])).code).toBe(0);
    const stale = join(dir, 'collections', 'gdx-data-share.demo.postman_collection.json');
    writeFileSync(stale, readFileSync(stale, 'utf8').replace('List events', 'List evens'));
    const res = await runCli(['generate', '--dir', dir, '--check']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'error: stale generated files: collections/gdx-data-share.demo.postman_collection.json; run npm run generate and commit the result\n',
    );
    cpSync(join(PROJECT_ROOT, 'collections'), join(dir, 'collections'), { recursive: true });
    expect((await runCli(['generate', '--dir', dir, '--check'])).code).toBe(0);
  });

  it('a file the generator no longer writes (a renamed request) fails --check, and generate removes it and its empty folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-gen-'));
    expect((await runCli(['generate', '--dir', dir])).code).toBe(0);
    const orphan = 'postman/collections/GDX Data Share (integration)/Old folder/Publish a death notification.request.yaml';
    mkdirSync(join(dir, dirname(orphan)), { recursive: true });
    writeFileSync(join(dir, orphan), '$kind: http-request\n');
    const res = await runCli(['generate', '--dir', dir, '--check']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`error: files the generator no longer writes: ${orphan}; run npm run generate (it removes them) and commit the result\n`);
    const again = await runCli(['generate', '--dir', dir]);
    expect(again.stdout).toContain('1 no longer generated removed');
    expect(existsSync(join(dir, dirname(orphan)))).toBe(false);
    expect(existsSync(join(dir, 'postman/collections/GDX Data Share (integration)'))).toBe(true);
    expect((await runCli(['generate', '--dir', dir, '--check'])).code).toBe(0);
  });

  it("writes docs/reference/cli.md with every option that each command's --help prints", async () => {
    const page = readFileSync(join(PROJECT_ROOT, 'docs', 'reference', 'cli.md'), 'utf8');
    for (const command of ['generate', 'standin', 'smoke', 'token', 'doctor', 'export']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      const options = [...help.stdout.slice(help.stdout.indexOf('Options:'), help.stdout.indexOf('\nExamples:')).matchAll(/^ {2}(--[a-z][a-z-]*)/gm)]
        .map((m) => m[1]!)
        .filter((o) => o !== '--help' && o !== '--version');
      expect(options.length, command).toBeGreaterThan(1);
      const section = page.slice(page.indexOf(`\n## ${command}\n`), page.indexOf('\n## ', page.indexOf(`\n## ${command}\n`) + 4) >>> 0);
      for (const option of options) expect(section, `${command} ${option}`).toContain(`| \`${option}\` |`);
    }
    expect(page).toContain('Written by `npm run generate` from the command definitions in `src/commands/`: edit those, not this page.');
  });

  it('fails --check on a CLI reference edited by hand, naming it, and generate restores it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-gen-ref-'));
    expect((await runCli(['generate', '--dir', dir])).code).toBe(0);
    const page = join(dir, 'docs', 'reference', 'cli.md');
    const original = readFileSync(page, 'utf8');
    writeFileSync(page, original.replace('| `--port` |', '| `--port` (edited) |'));
    const check = await runCli(['generate', '--dir', dir, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toBe('error: stale generated files: docs/reference/cli.md; run npm run generate and commit the result\n');
    expect((await runCli(['generate', '--dir', dir])).code).toBe(0);
    expect(readFileSync(page, 'utf8')).toBe(original);
  });

  it('pins the CI templates to the version in package.json: a template still on another fails --check, and generate sets it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-gen-ci-'));
    expect((await runCli(['generate', '--dir', dir])).code).toBe(0);
    const template = join(dir, 'docs', 'ci', 'gitlab-ci.yml');
    mkdirSync(dirname(template), { recursive: true });
    const committed = readFileSync(join(PROJECT_ROOT, 'docs', 'ci', 'gitlab-ci.yml'), 'utf8');
    writeFileSync(template, committed.replaceAll(`gdx-data-share-postman@${VERSION}`, 'gdx-data-share-postman@0.0.1'));
    const check = await runCli(['generate', '--dir', dir, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toBe('error: stale generated files: docs/ci/gitlab-ci.yml; run npm run generate and commit the result\n');
    expect((await runCli(['generate', '--dir', dir])).code).toBe(0);
    expect(readFileSync(template, 'utf8')).toBe(committed);
  });

  it('validates every collection against the official v2.1.0 schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/fixtures/collection-v2.1.0.schema.json'), 'utf8')));
    for (const name of NAMES) {
      expect(validate(committedCollection(name)), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    // The check itself can fail: a request without its url is not a v2.1 collection.
    const broken: unknown = JSON.parse(JSON.stringify(committedCollection('dev')).replace('"method":"POST"', '"method":42'));
    expect(validate(broken)).toBe(false);
  });

  it('carries the package version: info.version of every v2.1 collection, as the SDK reads it, and the description of both forms', () => {
    const version = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const line = `Generated by gdx-data-share-postman ${version} (quote it to the GDX team with any question)`;
    for (const name of NAMES) {
      const json = committedCollection(name);
      expect(json.info['version'], name).toBe(version);
      expect(new pc.Collection(json as unknown as pc.CollectionDefinition).version?.toString(), name).toBe(version);
      expect(json.info['description'], name).toContain(line);
      expect(readFileSync(join(PROJECT_ROOT, 'postman', 'collections', `GDX Data Share (${name})`, '.resources', 'definition.yaml'), 'utf8'), name).toContain(
        line,
      );
    }
  });

  it('loads through the postman-collection SDK and serialises back without loss', () => {
    for (const name of NAMES) {
      const json = committedCollection(name);
      const sdk = new pc.Collection(json as unknown as pc.CollectionDefinition);
      const back = new pc.Collection(sdk.toJSON());
      const mine = allItems(json.item).filter((i) => i.request);
      const theirs: pc.Item[] = [];
      back.forEachItem((i) => theirs.push(i));
      expect(theirs.map((i) => i.name)).toEqual(mine.map((i) => i.name));
      for (const [n, item] of theirs.entries()) {
        const spec = mine[n]!;
        expect(item.id).toBe(spec.id);
        expect(item.request.method).toBe(spec.request!['method']);
        expect(item.request.url.toString()).toBe(spec.request!['url'].raw);
        expect(item.request.headers.all().map((h) => [h.key, h.value])).toEqual(
          (spec.request!['header'] as { key: string; value: string }[]).map((h) => [h.key, h.value]),
        );
        const body = spec.request!['body'] as { mode: string; raw?: string; urlencoded?: { key: string; value: string }[] } | undefined;
        expect(item.request.body?.mode).toBe(body?.mode);
        if (body?.mode === 'raw') expect(item.request.body!.raw).toBe(body.raw);
        if (body?.mode === 'urlencoded') {
          expect(item.request.body!.urlencoded!.all().map((p) => [p.key, p.value])).toEqual(body.urlencoded!.map((p) => [p.key, p.value]));
        }
        expect(item.request.auth?.type).toBe(spec.request!['auth']?.type);
        const scripts = item.events.map((e) => (e.script.exec ?? []).join('\n'));
        expect(scripts).toEqual((spec.event ?? []).map((e) => e.script.exec.join('\n')));
      }
      expect(back.variables.toObject()).toEqual(Object.fromEntries(collectionVariablesFor(findEnvironment(name)!).map(([k]) => [k, ''])));
    }
  });

  it('uses only variables that its environment file or the collection defines', () => {
    for (const name of NAMES) {
      const collection = committedCollection(name);
      const defined = new Set([...committedEnvironment(name).values.map((v) => v.key), ...collection.variable.map((v) => v.key)]);
      const text = JSON.stringify(collection);
      const used = new Set<string>();
      for (const m of text.matchAll(/\{\{(\w+)\}\}/g)) used.add(m[1]!);
      for (const m of text.matchAll(/gdxVariable\('(\w+)'\)/g)) used.add(m[1]!);
      for (const m of text.matchAll(/pm\.(?:variables|collectionVariables)\.(?:get|set)\('(\w+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\\"variable\\": \\"(\w+)\\"/g)) used.add(m[1]!);
      expect(used.size).toBeGreaterThan(8);
      for (const v of used) expect(defined.has(v), `${name} uses {{${v}}} without defining it`).toBe(true);
    }
  });

  it('has scripts that parse as plain ES2019, embedded and as files', () => {
    expect(() => parseEs2019('var a = b?.c;')).toThrow();
    expect(() => parseEs2019('async function f() { await pm.sendRequest(1); }')).not.toThrow();
    for (const file of [...SANDBOX_SCRIPTS, SANDBOX_LIBRARY]) parseEs2019(readFileSync(join(SANDBOX_DIR, `${file}.js`), 'utf8'));
    for (const name of NAMES) for (const source of scriptsOf(committedCollection(name).item)) parseEs2019(source);
  });

  it('never uses await in a sandbox script (Newman 6 cannot run it)', () => {
    for (const file of [...SANDBOX_SCRIPTS, SANDBOX_LIBRARY]) {
      expect(readFileSync(join(SANDBOX_DIR, `${file}.js`), 'utf8'), file).not.toMatch(/\bawait\s|\basync\s+function|\basync\s*\(/);
    }
    // And as embedded, library functions included.
    for (const name of NAMES)
      for (const source of scriptsOf(committedCollection(name).item)) expect(source).not.toMatch(/\bawait\s|\basync\s+function|\basync\s*\(/);
  });

  it('embeds the schema files unchanged but for their $id (Bruno compiles every copy into one registry) and their descriptions', () => {
    const schemas = loadSchemas();
    const configs = scriptsOf(committedCollection('local').item)
      .map(scriptConfig)
      .filter((c) => c?.['schemaName']);
    for (const name of ['token-response', 'oauth-error', 'event-list', 'event', 'api-error', 'gateway-message'] as const) {
      const copies = configs.filter((c) => c!['schemaName'] === name);
      expect(copies.length, name).toBeGreaterThan(0);
      for (const copy of copies) expect(copy!['schema'], name).toEqual(withoutIdAndDescriptions(schemas.get(name)!));
    }
  });
});

/** A schema file as the collections embed it, read back with a reviver: no $id, no description. */
function withoutIdAndDescriptions(schema: object): unknown {
  return JSON.parse(JSON.stringify(schema), (key, value) => (key === '$id' || (key === 'description' && typeof value === 'string') ? undefined : value));
}

describe('what each environment gets', () => {
  const folderNames = (name: EnvironmentName) => committedCollection(name).item.map((f) => f.name);

  it('gives dev and demo the events API, integration the death-notification API, local both', () => {
    const events = ['Supplier: publish a test event', 'Acquirer: events', 'Acquirer: acknowledge a test event (removes it from your queue)'];
    for (const name of ['dev', 'demo'] as const) {
      expect(folderNames(name)).toEqual(['Get an access token', 'Token endpoint refusals', ...events.slice(0, 1), ...events.slice(1), 'Without a token']);
      expect(JSON.stringify(committedCollection(name))).not.toContain('deathNotification');
    }
    expect(folderNames('integration')).toEqual([
      'Get an access token',
      'Token endpoint refusals',
      'Supplier: death notification',
      'Supplier: publish a death notification (opt-in)',
      'Without a token',
    ]);
    expect(JSON.stringify(committedCollection('integration'))).not.toMatch(/\/events[?"]/);
    expect(folderNames('local')).toEqual([
      'Get an access token',
      'Token endpoint refusals',
      'Supplier: publish a test event',
      'Supplier: death notification',
      'Supplier: publish a death notification (opt-in)',
      'Acquirer: events',
      'Acquirer: acknowledge a test event (removes it from your queue)',
      'Without a token',
    ]);
  });

  it("has the GDX guide's two requests as it shows them", () => {
    for (const name of NAMES) {
      const [form, basic] = committedCollection(name).item[0]!.item;
      expect(form!.name).toBe('Form encoded credentials');
      expect(form!.request.method).toBe('POST');
      expect(form!.request.url.raw).toBe('{{tokenUrl}}');
      expect(form!.request.header).toEqual([{ key: 'Content-Type', value: 'application/x-www-form-urlencoded', type: 'text' }]);
      expect(formFields(form!).map((f) => [f.key, f.value])).toEqual([
        ['grant_type', 'client_credentials'],
        ['client_id', '{{clientId}}'],
        ['client_secret', '{{clientSecret}}'],
      ]);
      expect(form!.request.auth).toEqual({ type: 'noauth' });
      expect(basic!.name).toBe('Basic authorization');
      expect(basic!.request.auth?.type).toBe('basic');
      expect(formFields(basic!).map((f) => f.key)).toEqual(['grant_type']);
      expect(basic!.request.header).toEqual(form!.request.header);
    }
  });

  it('puts the token script on every API folder and on nothing else', () => {
    // The file's flow as it ships: after the settings line, before the divider and the helpers.
    const { flow } = splitScript(readFileSync(join(SANDBOX_DIR, 'token.pre-request.js'), 'utf8').split('\n').slice(1).join('\n'));
    for (const name of NAMES) {
      for (const folder of committedCollection(name).item) {
        const hasScript = folder.event.some((e) => e.script.exec.join('\n').includes(`var GDX = gdxSettings();\n${flow}\n\n${HELPERS_DIVIDER}\n`));
        expect(hasScript, `${name}/${folder.name}`).toBe(folder.auth.type === 'bearer');
        expect(allItems(folder.item).every((i) => !(i.event ?? []).some((e) => e.script.exec.join('\n').includes('pm.sendRequest')))).toBe(true);
      }
    }
  });

  it('carries URLs and placeholders in environment files, and never a secret', () => {
    for (const env of ENVIRONMENTS) {
      const file = committedEnvironment(env.name);
      const byKey = Object.fromEntries(file.values.map((v) => [v.key, v]));
      expect(byKey['tokenUrl']!.value).toBe(env.tokenUrl);
      expect(byKey['baseUrl']!.value).toBe(env.baseUrl);
      expect(byKey['clientSecret']).toEqual({ key: 'clientSecret', value: '', type: 'secret', enabled: true });
      expect(byKey['clientId']!.value).toBe(env.name === 'local' ? LOCAL_CLIENTS.acquirer.clientId : '');
    }
    const everything = generate(readInputs())
      .map((f) => f.content)
      .join('\n');
    for (const secret of [LOCAL_CLIENTS.acquirer.clientSecret, LOCAL_CLIENTS.supplier.clientSecret]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/eyJ[\w-]{10,}\.[\w-]+\./);
    for (const c of Object.values(LOCAL_CLIENTS)) {
      expect(everything).not.toContain(Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64'));
    }
    // Basic credentials come from the auth helper at send time, never from a stored header.
    expect(everything).not.toMatch(/"key": "Authorization"/i);
  });
});
