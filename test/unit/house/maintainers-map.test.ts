// docs/maintainers.md is the map: it names every room of src/, and the README links to it.
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

  it('is linked from the README', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')).toContain('](docs/maintainers.md)');
  });
});
