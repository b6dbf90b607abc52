// A private certificate authority and a server certificate it signs, made in memory at start:
// what a department's TLS-inspecting proxy or a private test deployment presents. The stand-in
// serves https with it so that trusting a CA file (--ca-file, GDX_CA_FILE, NODE_EXTRA_CA_CERTS,
// the Postman CLI's --ssl-extra-ca-certs, curl --cacert) is tested for real, not assumed.
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface PrivateCa {
  /** The CA's certificate (PEM): the file a tester trusts. */
  caCert: string;
  /** The server's key and certificate (PEM), for node:https. */
  key: string;
  cert: string;
  /** The CA's name as clients print it. */
  caSubject: string;
}

const DAY_MS = 86_400_000;

/** A certificate serial from random bytes, as DER wants it (RFC 5280 4.1.2.2): positive and
 * minimally encoded, so its first byte is 0x01 to 0x7f. A leading zero nibble instead (what this
 * was) made forge write 00 before a byte below 0x80 whenever the first random byte was 0, and
 * OpenSSL refuses that certificate ("illegal padding"): one stand-in start in about 200. */
export function serialHex(random: Buffer): string {
  const bytes = Buffer.from(random);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

// Node makes the keys (forge's pure-JS RSA takes seconds); forge only writes the certificates.
function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey: forge.pki.privateKeyFromPem(privateKey), publicKey: forge.pki.publicKeyFromPem(publicKey), pem: privateKey };
}

function certificate(publicKey: forge.pki.rsa.PublicKey, subject: forge.pki.CertificateField[], issuer: forge.pki.CertificateField[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialHex(randomBytes(8));
  // A day either side of now: a clock test moves a client's clock, and the certificate must stay
  // valid for it, as the real hosts' would.
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 30 * DAY_MS);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
}

/** A CA named `caName` and a certificate for `hosts` (names and IP addresses) that it signed. */
export function makePrivateCa(hosts: readonly string[] = ['localhost', '127.0.0.1', '::1'], caName = 'GDX stand-in private CA'): PrivateCa {
  const caKeys = keyPair();
  const caDn = [
    { shortName: 'CN', value: caName },
    { shortName: 'O', value: 'GDX Data Share toolkit (test only)' },
  ];
  const ca = certificate(caKeys.publicKey, caDn, caDn);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = keyPair();
  const server = certificate(serverKeys.publicKey, [{ shortName: 'CN', value: hosts[0] ?? 'localhost' }], caDn);
  server.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  const caCert = forge.pki.certificateToPem(ca);
  return {
    caCert,
    key: serverKeys.pem,
    cert: forge.pki.certificateToPem(server),
    caSubject: new X509Certificate(caCert).subject.split('\n').join(', '),
  };
}
