import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Redactor } from './redact.js';

/** The runner's only way out: stdout, stderr and report files, each through the redactor. */
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
    this.sinks.out(`${this.redactor.redact(text)}\n`);
  }

  warn(text: string): void {
    this.sinks.err(`${this.redactor.redact(text)}\n`);
  }

  file(dir: string, name: string, content: string): string {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, this.redactor.redact(content));
    this.written.push(path);
    return path;
  }
}
