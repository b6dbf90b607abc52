// Which TLS certificates a request trusts: the system's roots (with NODE_EXTRA_CA_CERTS, which
// Node adds itself), and a department's root CA from --ca-file or GDX_CA_FILE. A department proxy
// that inspects TLS presents certificates signed by that CA; trusting it keeps verification on,
// where --insecure would switch it off for everyone on the path.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import { UserError } from '../errors.js';

export interface CaFile {
  /** Absolute path: Newman and the Postman CLI read the file themselves. */
  path: string;
  /** Where the path came from (--ca-file, GDX_CA_FILE), for messages. */
  from: string;
  pems: readonly string[];
  /** The certificates' subjects, for doctor's checklist. */
  subjects: readonly string[];
}

export interface Trust {
  /** Verify nothing (private test deployments only). */
  insecure: boolean;
  ca?: CaFile;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;

export function readCaFile(path: string, from: string): CaFile {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'latin1');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unreadable';
    throw new UserError(`${from}: cannot read ${absolute} (${code}): give the path of your department's root CA certificate, as a PEM file`);
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new UserError(
      `${from}: ${absolute} holds no PEM certificate (-----BEGIN CERTIFICATE-----): if it is DER (.cer), convert it with certutil -encode FILE FILE.pem (Windows) or openssl x509 -inform der -in FILE -out FILE.pem`,
    );
  }
  const subjects: string[] = [];
  const pems = blocks.map((block) => {
    try {
      const cert = new X509Certificate(block);
      subjects.push(cert.subject.split('\n').join(', '));
      return cert.toString();
    } catch {
      throw new UserError(`${from}: ${absolute} has a damaged certificate: export the CA certificate again, as PEM (Base-64)`);
    }
  });
  return { path: absolute, from, pems, subjects };
}

/** The trust a command runs with: --ca-file first, else GDX_CA_FILE (the environment or .env). */
export function trustFrom(flags: { caFile?: string; insecure: boolean }, vars: Record<string, string | undefined>): Trust {
  const ca = flags.caFile ? readCaFile(flags.caFile, '--ca-file') : vars['GDX_CA_FILE'] ? readCaFile(vars['GDX_CA_FILE'], 'GDX_CA_FILE') : undefined;
  return { insecure: flags.insecure, ...(ca ? { ca } : {}) };
}

function nodeExtraCerts(): string[] {
  const file = process.env['NODE_EXTRA_CA_CERTS'];
  if (!file) return [];
  try {
    return readFileSync(file, 'latin1').match(PEM_BLOCK) ?? [];
  } catch {
    return []; // Node has warned about it at start already.
  }
}

/** The `ca` option for node:tls: undefined keeps Node's default store (roots and
 * NODE_EXTRA_CA_CERTS); a CA file is added to that store, never put in its place. */
export function caOption(trust: Trust): string[] | undefined {
  if (!trust.ca) return undefined;
  return [...rootCertificates, ...nodeExtraCerts(), ...trust.ca.pems];
}

/** The TLS options every connection of the runner takes. */
export function tlsOptions(trust: Trust): { rejectUnauthorized: boolean; ca?: string[] } {
  const ca = caOption(trust);
  return { rejectUnauthorized: !trust.insecure, ...(ca ? { ca } : {}) };
}
