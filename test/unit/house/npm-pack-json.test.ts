// `npm pack --json` as npm 11 and npm 12 print it: the tests and the release read both.
import { describe, expect, it } from 'vitest';
import { packReport } from '../../../scripts/npm-pack-json.js';

const report = { filename: 'gdx-data-share-postman-0.1.0.tgz', size: 2_700_000, files: [{ path: 'package.json', size: 3404 }] };

describe('packReport', () => {
  it("reads npm 11's array and npm 12's object keyed by the package's name, after what a prepack script printed", () => {
    expect(packReport(`building...\n${JSON.stringify([report], null, 2)}\n`)).toEqual(report);
    expect(packReport(JSON.stringify({ 'gdx-data-share-postman': { id: 'gdx-data-share-postman@0.1.0', ...report } }, null, 2))).toMatchObject(report);
  });

  it('says so when npm printed no report', () => {
    expect(() => packReport('npm error code E401\n')).toThrow(/npm pack --json printed no JSON/);
    expect(() => packReport('[]')).toThrow(/printed no report/);
  });
});
