// The files a run reads and writes, checked before the first request: a typo or a read-only
// folder is exit 2 in a second, not an error after the whole run (whose results would be lost).
import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';

/** What a file error code means, in words. */
export function describeFileError(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return code ?? 'an unknown error';
  }
}

const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

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

/** Makes sure the report folder exists and can take the report files, before anything is sent. */
export function checkReportFolder(dir: string, files: readonly string[]): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UserError(`--out ${dir} cannot be written (${describeFileError(codeOf(e))}): choose another folder with --out`);
  }
  for (const name of files) {
    const path = join(dir, name);
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDirectory) throw new UserError(`--out ${dir}: ${name} there is a folder, where the run writes its report; remove it or choose another --out`);
  }
}
