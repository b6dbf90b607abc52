export function isLoopbackAddress(address: string): boolean;
export function mayTry(host: string): boolean;
