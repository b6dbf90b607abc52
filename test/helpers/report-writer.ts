// A process that writes one report file again and again, for report-files.test.ts: through
// Output.file (atomic), or with a plain writeFileSync (the control, which a reader sees torn).
// Prints when its first write began and its last ended, so that the test can show the writers
// overlapped.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Output } from '../../src/report/output.js';
import { Redactor } from '../../src/report/redact.js';

const [dir, letter, times, how] = process.argv.slice(2) as [string, string, string, 'atomic' | 'plain'];
const content = `<r>${letter.repeat(2_000_000)}</r>\n`;
const output = new Output(new Redactor(), { out: () => undefined, err: () => undefined });
const began = Date.now();
for (let i = 0; i < Number(times); i++) {
  if (how === 'plain') writeFileSync(join(dir, 'junit.xml'), content);
  else output.file(dir, 'junit.xml', content);
}
process.stdout.write(JSON.stringify({ began, ended: Date.now() }));
