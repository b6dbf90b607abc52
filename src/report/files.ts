// The report folder, checked before the first request: a read-only folder is exit 2 in a
// second, not an error after the whole run (whose results would be lost).
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { codeOf, describeFileError, UserError } from '../errors.js';

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
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDirectory) throw new UserError(`--out ${dir}: ${name} there is a folder, where the run writes its report; remove it or choose another --out`);
  }
}
