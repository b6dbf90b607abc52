import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { printableLines } from '../transport/printable.js';
import type { Redactor } from './redact.js';

/** The runner's only way out: stdout, stderr and report files, each through the redactor, with
 * every control character but newline and tab escaped (no server can move the cursor or colour a
 * line of what a tester pastes). */
export class Output {
  readonly written: string[] = [];

  constructor(
    readonly redactor: Redactor,
    private readonly sinks: { out: (s: string) => void; err: (s: string) => void } = {
      out: (s) => process.stdout.write(s),
      err: (s) => process.stderr.write(s),
    },
  ) {}

  line(text = ''): void {
    this.sinks.out(`${printableLines(this.redactor.redact(text))}\n`);
  }

  warn(text: string): void {
    this.sinks.err(`${printableLines(this.redactor.redact(text))}\n`);
  }

  file(dir: string, name: string, content: string): string {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    // Atomic (a temporary file beside it, then a rename): a run killed mid-write, or a second run
    // into the same --out, never leaves a torn report for a CI system to choke on. 0600: a report
    // is a secret-bearing tool's output, whatever the redactor caught.
    writeFileAtomic.sync(path, printableLines(this.redactor.redact(content)), { mode: 0o600 });
    this.written.push(path);
    return path;
  }

  /** Adds to a file another tool owns (GitHub's job summary): its mode stays the owner's. */
  append(path: string, content: string): void {
    appendFileSync(path, printableLines(this.redactor.redact(content)));
    this.written.push(path);
  }
}
