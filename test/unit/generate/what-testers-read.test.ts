// What a tester reads in the app, in every generated collection and in both forms: the Overview
// is a Getting started that says where the secret goes and links the handbook, every folder says
// first what it changes, every token script opens with a header for testers, every collection
// carries the guard at its own level, and only the variables its requests use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../../src/config/paths.js';
import { committedCollection } from '../../helpers/files.js';

const ENVS = ['dev', 'demo', 'integration', 'local'] as const;
const v3Dir = (env: string) => join(PROJECT_ROOT, 'postman', 'collections', `GDX Data Share (${env})`);
const definition = (dir: string) =>
  parse(readFileSync(join(dir, '.resources', 'definition.yaml'), 'utf8')) as {
    description: string;
    scripts?: { type: string; code: string }[];
    variables?: { key: string }[];
  };
const v3FolderDir = (env: string, folder: string) => join(v3Dir(env), folder.replace(/[/\\:*?"<>|]/g, '-'));

/** The comment lines a script opens with, up to the first line of code. */
const header = (code: string) =>
  code.split('\n').slice(
    0,
    code.split('\n').findIndex((l) => l.trim() && !l.startsWith('//')),
  );

describe('what a tester reads', () => {
  for (const env of ENVS) {
    it(`${env}: the Overview is a Getting started with the current value, the handbook and where to get help, in both forms`, () => {
      const v21 = committedCollection(env).info.description;
      expect(definition(v3Dir(env)).description).toBe(v21);
      expect(v21.split('\n')[0]).toBe(`# GDX Data Share (${env}): getting started`);
      expect(v21).toMatch(/^1\. Import the environment file `gdx-data-share\.\w+\.postman_environment\.json`/m);
      expect(v21).toContain(
        '2. Type your client id and secret into `clientId` and `clientSecret` in that environment. In Postman 11 and later a variable has one value, kept on this machine unless you **Share** it: never Share `clientSecret`',
      );
      expect(v21).toContain('In Postman 10 and older, use the **current value**, never the initial value.');
      expect(v21).toMatch(/^3\. Open \*\*Get an access token\*\* and send \*\*Form encoded credentials\*\*/m);
      expect(v21).toMatch(/^4\. Then /m);
      expect(v21).toContain('## What each folder changes on the service');
      expect(v21).toContain("- The tester's handbook: testers.html in the release zip, docs/testers.md in the repository.");
      expect(v21).toContain(`- With Node.js: \`gdx-data-share doctor --env ${env}\``);
      expect(v21).not.toContain('npm run');
      expect(v21).toContain('CorrelationID');
      expect(v21).toContain('never share a Console screenshot or export');
    });

    it(`${env}: every folder's description opens with what it changes, in both forms`, () => {
      for (const folder of committedCollection(env).item) {
        expect(folder.description, folder.name).toMatch(/^Changes( nothing[ :]|: )/);
        expect(definition(v3FolderDir(env, folder.name)).description, folder.name).toBe(folder.description);
      }
    });

    it(`${env}: every token script opens with the testers' header of at most 15 lines, in both forms`, () => {
      const collection = committedCollection(env);
      const apiFolders = collection.item.filter((f) => f.event.length);
      expect(apiFolders.length).toBeGreaterThan(0);
      for (const folder of apiFolders) {
        for (const code of [folder.event[0]!.script.exec.join('\n'), definition(v3FolderDir(env, folder.name)).scripts![0]!.code]) {
          const lines = header(code);
          expect(lines[0], folder.name).toBe("// GDX Data Share: gets an access token for this folder's requests (OAuth 2.0 client credentials");
          expect(lines.length, folder.name).toBeLessThanOrEqual(15);
          const text = lines.join('\n');
          for (const word of [
            'do not edit this script',
            'clientId, clientSecret',
            'never Share clientSecret',
            'CURRENT value',
            'clientAuthMethod',
            'scope',
            'gdxTokenFailure',
            'testers.html#5-how-the-token-script-behaves',
          ]) {
            expect(text, `${folder.name}: ${word}`).toContain(word);
          }
          // The helpers come after it.
          expect(code.indexOf('function gdx'), folder.name).toBeGreaterThan(text.length);
        }
      }
    });

    it(`${env}: the guard runs before and after every request, at the collection's own level, in both forms`, () => {
      const collection = committedCollection(env);
      expect(collection.event.map((e) => e.listen)).toEqual(['prerequest', 'test']);
      expect(collection.event[0]!.script.exec[0]).toBe('// GDX Data Share: the guard. Before every request of this collection, yours included, it checks what');
      const scripts = definition(v3Dir(env)).scripts!;
      expect(scripts.map((s) => s.type)).toEqual(['http:beforeRequest', 'http:afterResponse']);
      expect(scripts.map((s) => s.code)).toEqual(collection.event.map((e) => e.script.exec.join('\n')));
    });
  }

  it('each collection carries only the variables its requests use', () => {
    const token = ['gdxAccessToken', 'gdxAccessTokenExpiresAt', 'gdxTokenCacheKey', 'gdxTokenFailure', 'gdxTokenRetries'];
    const guard = ['gdxGuardJudged', 'gdxGuardLock', 'gdxOptInSent'];
    const events = ['firstEventId', 'testEventId', 'acknowledgedEventId'];
    const expected = {
      dev: [...token, ...guard, ...events],
      demo: [...token, ...guard, ...events],
      integration: [...token, ...guard, 'correlationId'],
      local: [...token, ...guard, ...events, 'correlationId'],
    };
    for (const env of ENVS) {
      expect(
        committedCollection(env).variable.map((v) => v.key),
        env,
      ).toEqual(expected[env]);
      expect(
        definition(v3Dir(env)).variables!.map((v) => v.key),
        env,
      ).toEqual(expected[env]);
    }
  });
});
