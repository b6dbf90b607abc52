import { createHash } from 'node:crypto';

/** A UUID-shaped id derived from names, so that regenerating yields the same ids (RFC 4122 v5 layout). */
export function stableId(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u001f')).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
