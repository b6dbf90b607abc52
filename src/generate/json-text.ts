// JSON for people who read the generated scripts: a value that fits on a line (160 columns, as the code) stays on one line,
// the rest is indented, so an embedded schema reads like the file it came from at a third of the
// lines. Deterministic: the same value gives the same text.

const WIDTH = 160;

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/** `value` as JSON text, nested `indent` spaces deep. */
export function readableJson(value: unknown, indent = 0): string {
  const flat = inline(value);
  if (indent + flat.length <= WIDTH || value === null || typeof value !== 'object') return flat;
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) return `[\n${value.map((v) => `${pad}${readableJson(v, indent + 2)}`).join(',\n')}\n${' '.repeat(indent)}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  const body = entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${readableJson(v, indent + 2)}`);
  return `{\n${body.join(',\n')}\n${' '.repeat(indent)}}`;
}
