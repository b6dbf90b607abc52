// Everything the commands print goes through Output (redacted, control characters escaped): no
// module of src/ writes to the console or the standard streams itself, but the few named here,
// each for its reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config/paths.js';

const SRC = join(PROJECT_ROOT, 'src');
const ALLOWED: Record<string, string> = {
  'report/output.ts': 'Output itself',
  'cli.ts': 'the last-resort error line, through an Output made on the stream it is given',
  'commands/token.ts': 'the access token alone on stdout, which a redactor would hide from the one who asked for it',
};

describe('one way out', () => {
  it('no module but Output, the last-resort error line and the token prints to the console or a standard stream', () => {
    const writers = readdirSync(SRC, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => relative(SRC, join(e.parentPath, e.name)).split('\\').join('/'))
      .filter((path) => /\bconsole\.(log|info|warn|error)\(|process\.(stdout|stderr)\.write\(/.test(readFileSync(join(SRC, path), 'utf8')))
      .sort();
    expect(writers).toEqual(Object.keys(ALLOWED).sort());
  });
});
