// Every script the collections ship opens for the tester who reads it: their header (where there
// is one), the flow in about 40 lines, a divider saying the helpers below need no reading, then
// only function declarations (they hoist, so the order changes nothing that runs). Its comments
// speak to testers: maintainers' notes stay in src/sandbox.
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { HELPERS_DIVIDER } from '../../../src/generate/library.js';
import { allItems, committedCollection } from '../../helpers/files.js';

const ENVS = ['dev', 'demo', 'integration', 'local'] as const;

interface Script {
  where: string;
  code: string;
}

function scriptsOf(env: (typeof ENVS)[number]): Script[] {
  const collection = committedCollection(env);
  const items = [collection, ...allItems(collection.item)] as {
    name?: string;
    info?: { name: string };
    event?: { listen: string; script: { exec: string[] } }[];
  }[];
  return items.flatMap((item) =>
    (item.event ?? []).map((e) => ({ where: `${env}: ${item.name ?? item.info?.name} (${e.listen})`, code: e.script.exec.join('\n') })),
  );
}

describe('the shipped scripts, laid out flow first', () => {
  for (const env of ENVS) {
    it(`${env}: header, a flow of at most 45 lines, the divider, then function declarations only`, () => {
      const scripts = scriptsOf(env);
      expect(scripts.length).toBeGreaterThan(20);
      for (const { where, code } of scripts) {
        const lines = code.split('\n');
        const divider = lines.indexOf(HELPERS_DIVIDER);
        const headerEnd = lines.findIndex((l) => l.trim() && !l.startsWith('//'));
        const flow = lines.slice(headerEnd, divider < 0 ? lines.length : divider).filter((l) => l.trim());
        expect(flow.length, `${where}: ${flow.length} lines of flow`).toBeLessThanOrEqual(45);
        if (divider < 0) continue;
        // What follows the divider is declarations alone: nothing there runs unless the flow calls it.
        const helpers = parse(lines.slice(divider + 1).join('\n'), { ecmaVersion: 2019 });
        expect(
          helpers.body.filter((n) => n.type !== 'FunctionDeclaration').map((n) => n.type),
          where,
        ).toEqual([]);
        // The whole script parses as ES2019, as the clients that import it need.
        expect(() => parse(code, { ecmaVersion: 2019 }), where).not.toThrow();
      }
    });

    it(`${env}: the comments speak to testers, not to maintainers`, () => {
      for (const { where, code } of scriptsOf(env)) {
        const comments: string[] = [];
        parse(code, { ecmaVersion: 2019, onComment: (_block, text) => comments.push(text.trim()) });
        for (const c of comments) expect(c, where).not.toMatch(/src\/|\.ts\b|\.lib\.js|npm run|the runner|the generator|importer|contract/i);
      }
    });
  }

  it('the token script and the guard open with the flow right after their header', () => {
    const [guardBefore] = committedCollection('dev').event;
    const guard = guardBefore!.script.exec;
    expect(guard[0]).toBe('// GDX Data Share: the guard. Before every request of this collection, yours included, it checks what');
    const code = guard.slice(guard.findIndex((l) => l.trim() && !l.startsWith('//')));
    expect(code[0]).toBe('var GDX = gdxSettings();');
    expect(code.indexOf(HELPERS_DIVIDER)).toBeGreaterThan(10);
    expect(code.indexOf(HELPERS_DIVIDER)).toBeLessThan(45);
  });
});
