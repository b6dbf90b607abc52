// The committed collection and environment files a run reads, checked before the first request:
// a missing or damaged file is exit 2 in a second, with the fix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeOf, describeFileError, UserError } from '../errors.js';

/** A generated JSON file of the project, read and parsed; a missing one says to regenerate. */
export function readJsonFile(dir: string, relative: string): object {
  let text: string;
  try {
    text = readFileSync(join(dir, relative), 'utf8');
  } catch (e) {
    const code = codeOf(e);
    const fix = code === 'ENOENT' ? 'run npm run generate' : 'check the file and its permissions';
    throw new UserError(`${relative} cannot be read (${describeFileError(code)}): ${fix}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return parsed;
  } catch {
    throw new UserError(`${relative} is not valid JSON: run npm run generate (or git checkout ${relative})`);
  }
}
