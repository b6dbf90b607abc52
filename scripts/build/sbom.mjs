// The bundle's CycloneDX SBOM: one component per bundled package, at its bundled version. Since
// a department's `npm audit` sees no dependency of this package, this file is what it audits
// (docs/security.md). No timestamp and a serial number made from the content: the same bundle
// gives the same bytes.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const purlName = (name) => (name.startsWith('@') ? `%40${name.slice(1)}` : name);

/** CycloneDX's licence choice: an SPDX id, an SPDX expression (with an operator), or a name. */
function licences(expression) {
  if (!expression) return undefined;
  if (/\s(OR|AND|WITH)\s/.test(expression)) return [{ expression }];
  const id = expression.replace(/^\((.*)\)$/, '$1');
  return require('spdx-license-list')[id] ? [{ license: { id } }] : [{ license: { name: id } }];
}

/** The lock's sha512 integrity as CycloneDX's hash: what a scanner matches the registry's tarball by. */
function hashes(integrity) {
  const m = /^sha512-(.+)$/.exec(integrity ?? '');
  return m ? [{ alg: 'SHA-512', content: Buffer.from(m[1], 'base64').toString('hex') }] : undefined;
}

/**
 * @param {{ name: string, version: string, description: string }} self this package
 * @param {ReturnType<typeof import('./components.mjs').bundledComponents>} components
 */
export function cycloneDx(self, components) {
  const component = (c, type = 'library') => ({
    type,
    'bom-ref': `pkg:npm/${purlName(c.name)}@${c.version}`,
    name: c.name,
    version: c.version,
    purl: `pkg:npm/${purlName(c.name)}@${c.version}`,
    ...(hashes(c.integrity) ? { hashes: hashes(c.integrity) } : {}),
    ...(licences(c.licence) ? { licenses: licences(c.licence) } : {}),
  });
  const body = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: {
      component: { ...component({ name: self.name, version: self.version, licence: self.license }, 'application'), description: self.description },
      properties: [{ name: 'gdx-data-share-postman:packaging', value: 'bundle: every component below is inside the package, none installed beside it' }],
    },
    components: components.map((c) => component(c)),
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const serialNumber = `urn:uuid:${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  return `${JSON.stringify({ bomFormat: body.bomFormat, specVersion: body.specVersion, serialNumber, ...body }, null, 2)}\n`;
}
