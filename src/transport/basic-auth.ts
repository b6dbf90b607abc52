// RFC 6749 section 2.3.1: the client id and secret are application/x-www-form-urlencoded before
// they are joined and Base64-encoded into the Basic credential. Cognito's secrets are alphanumeric,
// so this changes nothing there; it matters for any other OAuth 2.0 server and secret.

/** application/x-www-form-urlencoded, as the token script writes it: !'()* encoded, space as +. */
export function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** The value after "Basic " for a client id and secret. */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, 'utf8').toString('base64');
}
