// The build, in one place for `npm run build`, prepack, the npm scripts' launcher (gdx.mjs) and the
// tests. Into dist/, from nothing:
// - validators.cjs: every schema of src/schemas compiled with ajv's standalone code, so that a
//   run validates without loading or compiling ajv (about a fifth of a second a run). It records a
//   digest of the schemas; src/schema-registry.ts ignores it once the schemas change.
// - cli.js and chunks/: the command and everything it runs, one bundle (build/bundle.mjs).
// - sbom.cdx.json and THIRD-PARTY-NOTICES.txt: what the bundle holds, and their licences; none of
//   it below the fix of an advisory in build/advisories.json, or the build stops.
// - .built: the stamp gdx.mjs compares with the sources.
// Output goes to stderr: `npm run -s token` keeps stdout for the token alone.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions, NODE_TARGET } from './build/bundle.mjs';
import { belowTheirFix } from './build/advisories.mjs';
import { bundledComponents } from './build/components.mjs';
import { thirdPartyNotices } from './build/notices.mjs';
import { cycloneDx } from './build/sbom.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const self = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// From nothing: a module moved or removed in src/ must not live on in dist/ (the package ships it).
rmSync(dist, { recursive: true, force: true });

// The schemas module, built alone for a moment to compile its schemas with, then removed.
const schemasModule = join(dist, '.schemas.mjs');
await build({
  entryPoints: [join(root, 'src', 'schema-registry.ts')],
  outfile: schemasModule,
  bundle: true,
  packages: 'external',
  format: 'esm',
  platform: 'node',
  target: NODE_TARGET,
  logLevel: 'warning',
});
const schemas = await import(pathToFileURL(schemasModule).href);
rmSync(schemasModule);
const require = createRequire(import.meta.url);
const standaloneCode = require('ajv/dist/standalone').default;
const code = standaloneCode(schemas.createAjv(true), Object.fromEntries(schemas.SCHEMA_NAMES.map((n) => [n, n])));
// Bundled with the two small parts of ajv and ajv-formats it requires, so that the installed
// package needs neither at run time.
const validators = await build({
  stdin: { contents: `${code}\nexports.schemasHash = ${JSON.stringify(schemas.schemasHash())};\n`, resolveDir: root, loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: NODE_TARGET,
  legalComments: 'none',
  minifyWhitespace: true,
  metafile: true,
  write: false,
  logLevel: 'warning',
});
writeFileSync(schemas.COMPILED_VALIDATORS, validators.outputFiles[0].text);

const bundle = await build(bundleOptions(root, dist));
const inputs = { ...validators.metafile.inputs, ...bundle.metafile.inputs };
const components = bundledComponents(root, { inputs });
const vulnerable = belowTheirFix(components);
if (vulnerable.length > 0) {
  rmSync(dist, { recursive: true, force: true });
  throw new Error(
    `the bundle would hold packages below the fix of a listed advisory (scripts/build/advisories.json); lift them with overrides in package.json:\n  ${vulnerable.join('\n  ')}`,
  );
}
writeFileSync(join(dist, 'sbom.cdx.json'), cycloneDx(self, components));
writeFileSync(join(dist, 'THIRD-PARTY-NOTICES.txt'), thirdPartyNotices(root, self, components));
writeFileSync(join(dist, '.built'), '');
