#!/usr/bin/env node
// The installed command's first file, and all it does is this: Node's compile cache goes on
// before the bundle loads, as TypeScript's tsc does. Node keeps the bundle's compiled code in
// its own cache folder (os.tmpdir()/node-compile-cache; NODE_COMPILE_CACHE moves it,
// NODE_DISABLE_COMPILE_CACHE=1 turns it off), so that a run after the first compiles none of it
// again. Compiling the Newman chunk leaves more memory behind than a short run uses
// (docs/benchmarks.md, "Peak memory against Newman's"). Code only, never what a run reads or sends.
import * as nodeModule from 'node:module';

try {
  // Node 22.1 and later; an older 22 goes on without it.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  // A cache folder that cannot be made costs only the time it would have saved.
}
const { runCommandLine } = await import('./cli.js');
process.exitCode = await runCommandLine(process.argv.slice(2));
