import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UserError } from '../errors.js';

const LINE = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/;

/**
 * Reads a .env file (Node's own parser) after checking every line has the KEY=value shape, since
 * the parser skips lines it cannot read and a mistyped credential would then vanish silently.
 * Messages name the line, never its content: it may hold a secret.
 */
export function readDotEnv(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UserError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let inQuote: string | undefined;
  for (const [n, line] of text.split(/\r?\n/).entries()) {
    if (inQuote) {
      if (line.includes(inQuote)) inQuote = undefined;
      continue;
    }
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!LINE.test(line)) throw new UserError(`${path} is malformed at line ${n + 1}: expected KEY=value (for example GDX_CLIENT_ID=...)`);
    const value = line.slice(line.indexOf('=') + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && !value.slice(1).includes(quote)) inQuote = quote;
  }
  if (inQuote) throw new UserError(`${path} is malformed: a quoted value is never closed`);
  return parseEnv(text) as Record<string, string>;
}
