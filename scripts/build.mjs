// The build, in one place for `npm run build`, the npm scripts' launcher (gdx.mjs) and the tests:
// tsc into dist/, then every schema of src/schemas compiled into dist/validators.cjs with ajv's
// standalone code, so that a run validates without loading or compiling ajv (about a fifth of a
// second a run), and without ajv installed at all. That file records a digest of the schemas;
// src/schemas.ts ignores it once the schemas change. Output goes to stderr: `npm run -s token` keeps stdout for the token alone.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// From nothing: a module moved or removed in src/ must not live on in dist/ (the package ships it).
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], {
  stdio: ['ignore', 2, 2],
});

const schemas = await import(pathToFileURL(join(root, 'dist', 'schemas.js')).href);
const require = createRequire(import.meta.url);
const standaloneCode = require('ajv/dist/standalone').default;
const code = standaloneCode(schemas.createAjv(true), Object.fromEntries(schemas.SCHEMA_NAMES.map((n) => [n, n])));
// Bundled with the two small parts of ajv and ajv-formats it requires, so that the installed
// package needs neither at run time (they stay devDependencies: about 1.3 MB less to install).
const { buildSync } = await import('esbuild');
const bundled = buildSync({
  stdin: { contents: `${code}\nexports.schemasHash = ${JSON.stringify(schemas.schemasHash())};\n`, resolveDir: root, loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'inline',
  minifyWhitespace: true,
  write: false,
});
writeFileSync(schemas.COMPILED_VALIDATORS, bundled.outputFiles[0].text);
