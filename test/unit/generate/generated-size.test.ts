// Generated scripts carry only the library functions they call, and the generated files stay
// within the sizes a reviewer can read: one library change rewrites only the scripts that use it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryFor, parseLibrary, withoutComments } from '../../../src/generate/library.js';
import { readableJson } from '../../../src/generate/json-text.js';
import { PROJECT_ROOT } from '../../../src/config/paths.js';
import { allItems, committedCollection } from '../../helpers/files.js';

const LIBRARY = `/* global pm */
// The file's header, carried by no script.

// Reads a variable.
function gdxVariable(name) {
  return pm.variables.replaceIn('{{' + name + '}}');
}

// Two lines of comment,
// both kept with it.
function gdxCacheKey(method) {
  return [gdxVariable('tokenUrl'), method].join(' ');
}

function gdxUnused() {
  return 1;
}
`;

describe('the sandbox library, function by function', () => {
  it('splits into its functions, each with the comment above it and the library functions it calls', () => {
    expect(parseLibrary(LIBRARY).map((f) => [f.name, f.calls, f.text.split('\n')[0]])).toEqual([
      ['gdxVariable', [], '// Reads a variable.'],
      ['gdxCacheKey', ['gdxVariable'], '// Two lines of comment,'],
      ['gdxUnused', [], 'function gdxUnused() {'],
    ]);
  });

  it('gives a script what it calls and what that calls, in library order, and nothing else', () => {
    const lib = parseLibrary(LIBRARY);
    const text = libraryFor("var k = gdxCacheKey('basic');", lib);
    expect(text.match(/^function \w+/gm)).toEqual(['function gdxVariable', 'function gdxCacheKey']);
    expect(libraryFor('var x = 1; function gdxLocal() {} gdxLocal();', lib)).toBe('');
  });

  it('refuses a library function it cannot see the end of', () => {
    expect(() => parseLibrary('function gdxBroken() {\n  return 1;\n  }\n')).toThrow('gdxBroken has no closing "}"');
  });
});

describe('readable JSON', () => {
  it('keeps what fits in 160 columns on one line and indents the rest', () => {
    expect(readableJson({ a: [1, 2], b: { c: 'd' } })).toBe('{ "a": [1, 2], "b": { "c": "d" } }');
    expect(readableJson({ long: 'x'.repeat(150), short: 1 })).toBe(`{\n  "long": "${'x'.repeat(150)}",\n  "short": 1\n}`);
    const value = { schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string', minLength: 1, maxLength: 80 } } } };
    expect(JSON.parse(readableJson(value))).toEqual(value);
  });
});

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('the committed generated files', () => {
  it('no script carries a library function it does not call', () => {
    const library = parseLibrary(readFileSync(join(PROJECT_ROOT, 'src', 'sandbox', 'library.js'), 'utf8'));
    for (const env of ['local', 'dev', 'demo', 'integration'] as const) {
      const items = allItems(committedCollection(env).item);
      for (const item of items) {
        for (const event of item.event ?? []) {
          const text = event.script.exec.join('\n');
          const carried = library.filter((f) => text.includes(`function ${f.name}(`)).map((f) => f.name);
          // What the rest of the script calls, and what those call in turn: found here by the
          // call sites alone, not by the generator's tree shaking (libraryFor) that it checks.
          const rest = library.reduce((t, f) => t.replace(withoutComments(f.text), ''), text);
          const wanted = new Set<string>();
          const visit = (source: string): void => {
            for (const [, name] of source.matchAll(/\b(gdx\w+)\s*\(/g)) {
              const f = library.find((l) => l.name === name);
              if (f && !wanted.has(f.name)) {
                wanted.add(f.name);
                visit(f.text.slice(f.text.indexOf('{')));
              }
            }
          };
          visit(rest);
          expect([...carried].sort(), `${env}: ${item.name} (${event.listen})`).toEqual([...wanted].sort());
        }
      }
    }
  });

  it("the dev collection's guard carries these functions and no others, written out", () => {
    const library = parseLibrary(readFileSync(join(PROJECT_ROOT, 'src', 'sandbox', 'library.js'), 'utf8'));
    const carried = (listen: string): string[] => {
      const text = committedCollection('dev')
        .event.find((e) => e.listen === listen)!
        .script.exec.join('\n');
      return library.filter((f) => text.includes(`function ${f.name}(`)).map((f) => f.name);
    };
    // The request's readers, the record's deliverability and the verdict, in library order: both looks carry them.
    const verdict = [
      'gdxBodySent',
      'gdxFormFields',
      'gdxIsFieldList',
      'gdxIsForm',
      'gdxRecordDateTime',
      'gdxGuardPath',
      'gdxUndeliverable',
      'gdxGuardVerdict',
      'gdxRouteVerdict',
    ];
    const inputs = ['gdxFolders', 'gdxWaitingFor', 'gdxGuardInputs'];
    expect(carried('prerequest')).toEqual([
      'gdxVariable',
      'gdxReport',
      'gdxHttpAnswer',
      'gdxUrlParts',
      'gdxIsLoopback',
      'gdxWhereSecretsGo',
      'gdxOnPlatformApi',
      'gdxIsApiRoute',
      'gdxTokenInputProblem',
      ...verdict,
      'gdxTestEventProblem',
      ...inputs,
    ]);
    // The second look judges what was sent with the same verdict; it asks nothing and reports no token failure.
    expect(carried('test')).toEqual(['gdxVariable', 'gdxUrlParts', 'gdxOnPlatformApi', 'gdxIsApiRoute', ...verdict, ...inputs]);
  });

  it('stay within the sizes a reviewer can read: v3 collections at most 16,700 lines, v2.1 collections at most 1,016 kB', () => {
    const v3 = files(join(PROJECT_ROOT, 'postman', 'collections'));
    const lines = v3.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length - 1, 0);
    // 12,000 until the token requests gained settings.followRedirects and the token script its
    // redirect branch: about 90 lines of what the files must say. 12,250 until the collection's
    // guard (a script every request passes, with the URL, body and date-time readers it needs, and
    // the deliverable schema where there is an opt-in: about 330 lines a collection), the
    // Getting-started Overview (25), the testers' header of each token script and its https check
    // (about 40 lines in each of 13 folders): about 2,500 lines, all of what the guard and the
    // first-click help must say. 14,900 until the guard's second look (guard.post-response.js judges what
    // was sent with the same verdict, so it carries the verdict and its readers: about 250 lines a
    // collection), its question to the service before a DELETE and the form and API-route readers
    // (about 120), the flow-first layout's settings function (a few): about 1,500 lines. Helpers
    // ship without their maintainers' comments, which took about 150 lines back. The Overview's and
    // the headers' words for today's Postman and the installed command, and the second look's own
    // header, about 60 more; the platform's API hosts in each script's settings, about 80. 16,600
    // until the second look judged the record's deliverability too (a script can turn the armed
    // opt-in's record into one the pipeline dead-letters after the guard's first look): the
    // deliverable schema in the second look of integration and local, and its check in all four,
    // about 200 lines.
    expect(lines).toBeLessThanOrEqual(16_700);
    const v21 = files(join(PROJECT_ROOT, 'collections'));
    const bytes = v21.reduce((n, f) => n + statSync(f).size, 0);
    // 850 kB until the guard, the Overview and the token scripts' header (about 170 kB in all, as above).
    // The second look added about 60 kB and the helpers' comments, no longer shipped, took about 70 kB back;
    // the platform's API hosts in each token script's and guard's settings, about 8 kB; the second
    // look's deliverable schema and check, about 6 kB.
    expect(bytes).toBeLessThanOrEqual(1_016_000);
  });
});

describe('a library function passed as a value', () => {
  it('is carried too: a reference needs the function as much as a call does', () => {
    const lib = parseLibrary(`function gdxNone() {\n  return '';\n}\n\nfunction gdxAnswer() {\n  return { header: gdxNone };\n}\n`);
    expect(libraryFor('gdxAnswer();', lib).match(/^function \w+/gm)).toEqual(['function gdxNone', 'function gdxAnswer']);
  });
});
