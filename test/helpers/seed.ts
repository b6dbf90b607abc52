import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths.js';

export const SEED_PATH = join(PROJECT_ROOT, 'docs', 'seed', 'how-to-generate-an-access-token.txt');

export interface SeedScript {
  heading: 'Form encoded credentials' | 'Basic Authorization';
  /** From `JWT_TOKEN=$(curl` to `echo $JWT_TOKEN`, exactly as the document prints it. */
  command: string;
}

/** Every curl command the GDX guide shows, under the heading it stands below. */
export function seedScripts(): SeedScript[] {
  const text = readFileSync(SEED_PATH, 'utf8');
  const basicAt = text.indexOf('\nBasic Authorization\n');
  const scripts: SeedScript[] = [];
  const re = /JWT_TOKEN=\$\(curl[\s\S]*?\necho \$JWT_TOKEN/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    scripts.push({ heading: m.index > basicAt ? 'Basic Authorization' : 'Form encoded credentials', command: m[0] });
  }
  return scripts;
}
