// The sandbox library (src/sandbox/library.js) as separate functions, so that each generated
// script carries the functions it calls and what those call, and nothing else: a change to one
// function then rewrites only the scripts that use it. Pure: text in, text out.

export interface LibraryFunction {
  name: string;
  /** The function with the comment lines directly above it. */
  text: string;
  /** Library functions it calls or refers to. */
  calls: string[];
}

// A call or a mere reference (a function passed as a value) both need the function there.
const CALL = /\b(gdx[A-Z]\w*)\b/g;

function callsIn(text: string): string[] {
  return [...new Set([...text.matchAll(CALL)].map((m) => m[1]!))];
}

/** Splits the library into its top-level functions. The file keeps to one shape (a comment, then
 * `function gdxName(...) {` at the start of a line, ending at a `}` alone on a line), which this
 * relies on; anything outside a function (the file's header) is not carried. */
export function parseLibrary(source: string): LibraryFunction[] {
  const lines = source.split('\n');
  const found: { name: string; lines: string[] }[] = [];
  let comment: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const start = /^function (gdx\w+)\(/.exec(line);
    if (start) {
      const body = [line];
      while (i + 1 < lines.length && lines[i] !== '}') body.push(lines[++i]!);
      if (lines[i] !== '}') throw new Error(`sandbox library: function ${start[1]} has no closing "}" on a line of its own`);
      found.push({ name: start[1]!, lines: [...comment, ...body] });
      comment = [];
    } else if (line.startsWith('//')) {
      comment.push(line);
    } else {
      comment = [];
    }
  }
  const names = new Set(found.map((f) => f.name));
  return found.map((f) => {
    const text = f.lines.join('\n');
    return { name: f.name, text, calls: callsIn(text).filter((c) => c !== f.name && names.has(c)) };
  });
}

/** The library functions a script needs (what it calls, and what those call), in library order,
 * as one block of text; '' when it calls none. */
export function libraryFor(script: string, library: readonly LibraryFunction[]): string {
  const byName = new Map(library.map((f) => [f.name, f]));
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name) || !byName.has(name)) return;
    needed.add(name);
    for (const c of byName.get(name)!.calls) visit(c);
  };
  for (const name of callsIn(script)) visit(name);
  return library
    .filter((f) => needed.has(f.name))
    .map((f) => f.text)
    .join('\n\n');
}

/** The line between a script's flow and its helpers, in src/sandbox and in what ships. */
export const HELPERS_DIVIDER = '// ---- The flow is above. What follows are its helpers: no need to read them. ----';

/** A script file's flow (what runs, top to bottom) and its helpers (function declarations after
 * the divider); a file without the divider is all flow. */
export function splitScript(source: string): { flow: string; helpers: string } {
  // The file's opening comment, up to its first empty line, speaks to maintainers: it stays here.
  const text = source.replace(/^(\/\/.*\n)+\n/, '');
  const at = text.indexOf(`\n${HELPERS_DIVIDER}\n`);
  if (at < 0) return { flow: text.trimEnd(), helpers: '' };
  return { flow: text.slice(0, at).trimEnd(), helpers: text.slice(at + HELPERS_DIVIDER.length + 2).trim() };
}

/** Helpers as they ship: without their comment lines, which speak to maintainers (src/sandbox keeps
 * them); the flow and the testers' header keep theirs. */
export function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*\/\//.test(line))
    .join('\n');
}
