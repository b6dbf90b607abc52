// The sandbox library's pure functions, for the runner and `npm run token`: loaded from
// src/sandbox/library.js itself (in a context of their own, as the generator carries them into
// the collections), so that one text decides for every consumer. Only functions that touch no
// sandbox object (pm, bru) may be taken from here.
import { runInNewContext } from 'node:vm';
import { parseLibrary } from './library.js';
import { sandboxLibraryText } from './library-text.js';

interface PureFunctions {
  /** How long a 429's Retry-After asks to wait, in milliseconds (delay-seconds or an HTTP-date). */
  gdxRetryAfterMs(value: string | undefined, now: number): number;
}

const NAMES: readonly (keyof PureFunctions)[] = ['gdxRetryAfterMs'];

let loaded: PureFunctions | undefined;

export function sandboxFunctions(): PureFunctions {
  if (loaded) return loaded;
  const library = parseLibrary(sandboxLibraryText());
  const text = NAMES.map((name) => {
    const f = library.find((l) => l.name === name);
    if (!f) throw new Error(`src/sandbox/library.js has no function ${name}`);
    return f.text;
  }).join('\n\n');
  const context: Record<string, unknown> = {};
  runInNewContext(`${text}\n${NAMES.map((n) => `this.${n} = ${n};`).join('\n')}`, context, { timeout: 1_000 });
  const retryAfter = context['gdxRetryAfterMs'];
  if (typeof retryAfter !== 'function') throw new Error('src/sandbox/library.js: gdxRetryAfterMs did not load');
  const retryAfterMs = retryAfter as (value: string | undefined, now: number) => unknown;
  loaded = { gdxRetryAfterMs: (value, now) => Number(retryAfterMs(value, now)) };
  return loaded;
}
