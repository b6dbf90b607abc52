// The variables a command reads its credentials and settings from.
import { resolve } from 'node:path';
import { readDotEnv } from './dotenv.js';

/** The process environment over ./.env (git-ignored in this project): real variables win. */
export function variables(): Record<string, string | undefined> {
  return { ...readDotEnv(resolve('.env')), ...process.env };
}
