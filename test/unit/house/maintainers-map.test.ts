// docs/maintainers.md is the map: it names every room of src/ and every module in it, and the
// README links to it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config/paths.js';

const map = readFileSync(join(PROJECT_ROOT, 'docs', 'maintainers.md'), 'utf8');

describe("the maintainers' map", () => {
  it('names every folder of src/ in its table of rooms', () => {
    const rooms = readdirSync(join(PROJECT_ROOT, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(rooms).toEqual(['commands', 'config', 'doctor', 'export', 'generate', 'report', 'run', 'sandbox', 'schemas', 'standin', 'token', 'transport']);
    for (const room of rooms) expect(map, room).toMatch(new RegExp(`^\\| \`src/${room}/`, 'm'));
  });

  it('names every module of each room under that room, and none that is gone', () => {
    const section = map.slice(map.indexOf('## Every module'), map.indexOf('## The one-way flow'));
    // One bullet a room: "- **`run/`**: ..." up to the next bullet; the top of src/ has its own.
    const bullets = new Map<string, string>();
    for (const m of section.matchAll(/^- \*\*(?:`(\w+)\/`|Top of `src\/`)\*\*:([\s\S]*?)(?=^- \*\*|^$)/gm)) bullets.set(m[1] ?? '', m[2]!);
    const modulesOf = (dir: string): string[] =>
      readdirSync(join(PROJECT_ROOT, 'src', dir), { withFileTypes: true })
        .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name))
        .map((e) => e.name)
        .sort();
    const rooms = ['', 'commands', 'config', 'doctor', 'export', 'generate', 'report', 'run', 'sandbox', 'standin', 'token', 'transport'];
    expect([...bullets.keys()].sort()).toEqual(rooms);
    for (const room of rooms) {
      const named = [...bullets.get(room)!.matchAll(/`([\w.-]+\.(?:ts|js))`/g)].map((m) => m[1]!);
      expect([...new Set(named)].sort(), `src/${room}`).toEqual(modulesOf(room));
    }
  });

  it('is linked from the README', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')).toContain('](docs/maintainers.md)');
  });
});
