// npm run release: everything a release ships, in release/ (git-ignored), the same bytes from the
// same commit:
// - the npm tarball (npm pack: its prepack builds dist/ from nothing);
// - gdx-data-share-collections-<version>.zip, for testers who have only Postman: every
//   environment's v2.1 collection and environment file under the repository's names, the v3
//   tree, README.txt, scripts/get-token.sh, and the handbook as one self-contained page
//   (testers.html); every text in it names only what it holds (test/release.test.ts reads them);
// - <name>-<version>.cdx.json, the bundle's CycloneDX SBOM, as the tarball carries it;
// - SHA256SUMS over them, in sha256sum's format (sha256sum -c SHA256SUMS checks them).
// Every time inside the zip is the commit's (SOURCE_DATE_EPOCH when set), every entry in one order.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import yazl from 'yazl';
import { ENVIRONMENTS } from '../src/config/environments.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { PACKAGE_NAME, VERSION } from '../src/config/version.js';
import { filesToExport } from '../src/export/export-files.js';
import { collectionPath, environmentPath, V3_ROOT } from '../src/generate/names.js';
import { handbookHtml, offlineCss } from './handbook-html.js';
import { packReport } from './npm-pack-json.js';

const OUT = join(PROJECT_ROOT, 'release');

/** The commit's time: what every entry of the zip is dated, so that a rebuild changes no byte. */
function releaseTime(): Date {
  const epoch = process.env['SOURCE_DATE_EPOCH'] ?? execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  return new Date(Number(epoch) * 1000);
}

/** README.txt: what a tester with Postman and this zip reads first. It names only what the zip
 * holds, what sits beside it in the release, and commands its reader can run. */
function readmeTxt(version: string): string {
  return [
    `GDX Data Share connection tests: collections and environments, version ${version}`,
    '',
    "For Postman: File > Import, then pick your environment's two files from this folder:",
    ...ENVIRONMENTS.flatMap((env) => [`  ${env.name.padEnd(12)} ${collectionPath(env)}`, `  ${''.padEnd(12)} ${environmentPath(env)}`]),
    '',
    'dev, demo and integration are the shared GDX environments your credentials are for. local is a',
    'stand-in for all of them on your own machine, for trying the collections without credentials: it',
    'needs Node.js 22 or later. Install the package that sits beside this zip in the release,',
    `  npm install ./gdx-data-share-postman-${version}.tgz`,
    'then start the stand-in with',
    '  npx gdx-data-share standin',
    '',
    'Select the environment in the menu at the top right, and type your client id and secret into',
    'clientId and clientSecret there. In Postman 11 and later a variable has one value, kept on this',
    'machine unless you Share it: never Share clientSecret. In Postman 10 and older, use the current',
    'value, never the initial value (initial values sync to your team workspace).',
    '',
    'Then open the folder "Get an access token" and send its request "Form encoded credentials": a 200',
    'with an access token means your credentials work.',
    '',
    `For Postman 12's file-based form, open the ${V3_ROOT}/ folder: the same collections as YAML.`,
    'For Bruno: Import Collection > Postman Collection, with the same v2.1 files.',
    '',
    "testers.html is the tester's handbook: section 1 is all a Postman user needs; the rest covers",
    'what each folder changes on the service, the guard that checks every request, other clients, the',
    'command line, proxies, certificates and troubleshooting. It opens in any browser, offline.',
    'scripts/get-token.sh gets a token with bash, curl and jq alone (handbook section 6).',
    '',
    `SHA256SUMS beside this zip in the release lists its checksum; quote the version (${version}) to the GDX team.`,
    '',
  ].join('\r\n');
}

function zip(when: Date): Promise<Buffer> {
  const top = `gdx-data-share-collections-${VERSION}`;
  const z = new yazl.ZipFile();
  const add = (path: string, bytes: Buffer, mode = 0o100644): void => z.addBuffer(bytes, `${top}/${path}`, { mtime: when, mode, compress: true });
  const css = offlineCss(readFileSync(createRequire(import.meta.url).resolve('govuk-frontend/dist/govuk/govuk-frontend.min.css'), 'utf8'));
  add('README.txt', Buffer.from(readmeTxt(VERSION)));
  // Bash, curl and jq alone: a token for a tester without Node.js (the handbook's section 6).
  add('scripts/get-token.sh', readFileSync(join(PROJECT_ROOT, 'scripts', 'get-token.sh')), 0o100755);
  add('testers.html', Buffer.from(handbookHtml(readFileSync(join(PROJECT_ROOT, 'docs', 'testers.md'), 'utf8'), css, VERSION)));
  // Exactly what `gdx-data-share export` writes: every environment, both forms.
  for (const path of filesToExport(PROJECT_ROOT, ENVIRONMENTS, 'both')) add(path, readFileSync(join(PROJECT_ROOT, path)));
  z.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('error', reject);
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The bundle's CycloneDX SBOM, the same bytes the tarball carries (dist/sbom.cdx.json, which the
 * pack's build just wrote): what a department's security team audits, since their npm audit sees
 * no dependency of a bundle. */
function sbom(): Buffer {
  return readFileSync(join(PROJECT_ROOT, 'dist', 'sbom.cdx.json'));
}

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT);
  const when = releaseTime();
  const packed = packReport(
    execFileSync('npm', ['pack', '--json', '--pack-destination', OUT], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const written = [packed.filename];
  const zipName = `gdx-data-share-collections-${VERSION}.zip`;
  writeFileSync(join(OUT, zipName), await zip(when));
  written.push(zipName);
  const sbomName = `${PACKAGE_NAME}-${VERSION}.cdx.json`;
  writeFileSync(join(OUT, sbomName), sbom());
  written.push(sbomName);
  const sums = written
    .sort()
    .map(
      (name) =>
        `${createHash('sha256')
          .update(readFileSync(join(OUT, name)))
          .digest('hex')}  ${name}`,
    )
    .join('\n');
  writeFileSync(join(OUT, 'SHA256SUMS'), `${sums}\n`);
  console.log(`release/ for ${PACKAGE_NAME} ${VERSION}:\n${[...written, 'SHA256SUMS'].map((n) => `  ${n}`).join('\n')}`);
}

await main();
