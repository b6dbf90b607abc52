// The installed command as one bundle: src/bin.ts (it turns Node's compile cache on, then loads
// src/cli.ts) and everything it runs (Newman, its runtime and
// sandbox, yargs, undici, jose, node-forge, yaml, write-file-atomic), code-split so that a command
// loads only what it uses (`--version` never loads Newman). A department's npm then installs one
// package with no dependencies, and runs the versions this repository's lock resolved and its
// tests ran, whatever that npm would do with `overrides`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Node.js line the bundle is written for: the oldest maintained one, as `engines` says. */
export const NODE_TARGET = 'node22';

// CommonJS inside an ES module has no require, __filename or __dirname: each output file makes
// its own from import.meta.url (undici and write-file-atomic read __filename; without it a
// finished run ends with exit 70 as it writes its reports). __filename and __dirname are given
// other names, which `define` puts where CommonJS reads the free ones, since some ES modules in
// the bundle (yargs) declare their own; require must keep its name, for esbuild's own shim of
// require() for Node's built-in modules, and no source in the bundle declares it at top level.
const BANNER = [
  "import { createRequire as __gdxCreateRequire } from 'node:module';",
  "import { fileURLToPath as __gdxFileURLToPath } from 'node:url';",
  "import { dirname as __gdxDirname } from 'node:path';",
  'const require = __gdxCreateRequire(import.meta.url);',
  'const __gdxFilename = __gdxFileURLToPath(import.meta.url);',
  'const __gdxDirnameOf = __gdxDirname(__gdxFilename);',
].join('\n');

/** Mends made to a dependency's source as it is bundled: each one must still apply, or the build
 * fails, so that an upgrade that fixes (or moves) the code is noticed. */
export const MENDS = [
  {
    // Newman reads every property of fs to copy its functions (lib/run/secure-fs.js), and so
    // reads fs.F_OK and its kin, which Node 24 deprecates (DEP0176) with a warning on every run.
    // Newman issue 3324; its fix, PR 3360, is not released (6.2.2 is the latest). Reading each
    // property's descriptor instead never calls the deprecated getters: the same functions are
    // copied (F_OK and its kin are numbers, never functions).
    file: 'node_modules/newman/lib/run/secure-fs.js',
    why: 'DEP0176: fs.F_OK and its kin read on every run',
    from: 'typeof fs[prop] !== FUNCTION',
    to: 'typeof (Object.getOwnPropertyDescriptor(fs, prop) || {}).value !== FUNCTION',
  },
  {
    // postman-request falls back to the brotli package's JavaScript decoder only where zlib has no
    // createBrotliDecompress, which every Node.js since 11 has: the fallback is dead code here,
    // 0.8 MB of it, from a package that ships no licence file.
    file: 'node_modules/postman-runtime/node_modules/postman-request/lib/brotli.js',
    why: 'a userland brotli decoder no supported Node.js reaches',
    from: "var brotliDecompressBuffer = require('brotli/decompress')",
    to: "var brotliDecompressBuffer = function () { throw new Error('brotli: this bundle uses zlib.createBrotliDecompress') }",
  },
  {
    // pm.visualizer.set() templates are compiled with Handlebars for Postman's Visualize tab; a
    // command-line run shows no tab, and the runner reads no visualization. Without Handlebars the
    // template is answered with an error (inside processTemplate's try, so the run goes on) and
    // the bundle carries 0.6 MB less and no copy of the package behind CVE-2026-33937.
    file: 'node_modules/postman-runtime/lib/visualizer/index.js',
    why: "Handlebars, for a Visualize tab a command-line run doesn't have",
    from: "const Handlebars = require('handlebars');",
    to: "const Handlebars = { compile: () => () => { throw new Error('pm.visualizer: a command-line run shows no visualization'); } };",
  },
];

/** postman-sandbox compiles its bootcode with browserify and terser when its prebuilt cache is
 * missing, which it never is in a release (.cache/bootcode.js ships): the development-only
 * bundler is left out, and says so if it is ever reached. */
const SANDBOX_BUNDLER_STUB = "module.exports = { load() { throw new Error('postman-sandbox: the prebuilt bootcode is missing from this bundle'); } };";

function plugins(root) {
  return [
    {
      name: 'gdx-sandbox-bundler-stub',
      setup(build) {
        build.onResolve({ filter: /^\.\/bundle$/ }, (args) =>
          /[\\/]postman-sandbox[\\/]lib$/.test(args.resolveDir) ? { path: 'postman-sandbox-bundle', namespace: 'gdx-stub' } : undefined,
        );
        build.onLoad({ filter: /.*/, namespace: 'gdx-stub' }, () => ({ contents: SANDBOX_BUNDLER_STUB, loader: 'js' }));
      },
    },
    {
      // The sandbox library's text, inlined: the installed command then reads no file of src/.
      name: 'gdx-inline-sandbox-library',
      setup(build) {
        build.onLoad({ filter: /[\\/]src[\\/]generate[\\/]library-text\.ts$/ }, () => ({
          contents: `export function sandboxLibraryText() { return ${JSON.stringify(readFileSync(join(root, 'src', 'sandbox', 'library.js'), 'utf8'))}; }`,
          loader: 'js',
        }));
      },
    },
    {
      name: 'gdx-mends',
      setup(build) {
        // By the path below node_modules: a checkout whose node_modules is a link resolves to the
        // link's target. A mend that no file took fails the build, as one whose text is gone does.
        const applied = new Set();
        for (const mend of MENDS) {
          const below = mend.file.replace(/^node_modules\//, '');
          const filter = new RegExp(`[\\\\/]node_modules[\\\\/]${below.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\//g, '[\\\\/]')}$`);
          build.onLoad({ filter }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (!source.includes(mend.from))
              throw new Error(`${mend.file} no longer holds ${JSON.stringify(mend.from)} (${mend.why}): check the upgrade and drop or move the mend`);
            applied.add(mend);
            return { contents: source.replace(mend.from, mend.to), loader: 'js' };
          });
        }
        build.onEnd((result) => {
          if (result.errors.length) return;
          const missed = MENDS.filter((m) => !applied.has(m));
          if (missed.length)
            return {
              errors: missed.map((m) => ({
                text: `${m.file} was not in the bundle, so its mend (${m.why}) did not apply: check the upgrade and drop or move the mend`,
              })),
            };
        });
      },
    },
  ];
}

/** esbuild's options for the command's bundle, into `outdir`. */
export function bundleOptions(root, outdir) {
  return {
    absWorkingDir: root,
    entryPoints: { cli: join(root, 'src', 'bin.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: NODE_TARGET,
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: BANNER },
    define: { __filename: '__gdxFilename', __dirname: '__gdxDirnameOf' },
    // Every licence travels in THIRD-PARTY-NOTICES.txt, whole; the comments would repeat a few.
    legalComments: 'none',
    // Minified, with keepNames: every function and class keeps its name, so a stack trace a
    // department reports still names them. Unminified, the install is 14 MB, not 10 MB.
    minify: true,
    metafile: true,
    logLevel: 'warning',
    plugins: plugins(root),
  };
}
