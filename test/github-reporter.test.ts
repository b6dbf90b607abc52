// The github reporter, for departments on GitHub Actions, through the real CLI against the real
// stand-in: an ::error annotation for each failed request (the request, what failed, the run's
// CorrelationID), a Markdown job summary appended to the file $GITHUB_STEP_SUMMARY names, and no
// secret in either. A proxy in front of the stand-in puts a wrong eventType into the event list.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { annotation } from '../src/report/github.js';
import { cleanEnv, creds, smokeAcquirerEvents } from './helpers/cli.js';
import { rewritingProxyTo, type Running } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;
let standin: Standin;
let proxy: Running;

beforeAll(async () => {
  standin = await startStandin();
  // GET /events answers with its first event's eventType changed: the event-list schema refuses it.
  proxy = await rewritingProxyTo(standin.baseUrl, (method, url, status, body) => {
    if (method !== 'GET' || !/^\/events(\?|$)/.test(url) || status !== 200) return body;
    const page = JSON.parse(body) as { data: { attributes: { eventType: string } }[] };
    if (page.data[0]) page.data[0].attributes.eventType = 'SOMETHING_ELSE';
    return JSON.stringify(page);
  });
});
afterAll(async () => {
  await proxy.close();
  await standin.stop();
});

describe('--reporters github', () => {
  it('annotates each failed request with what failed and the CorrelationID, and writes the job summary, with no secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-github-'));
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# Earlier steps\n\n');
    const res = await smokeAcquirerEvents(
      { tokenUrl: standin.tokenUrl, baseUrl: proxy.url },
      'github',
      join(dir, 'reports'),
      cleanEnv({ ...creds('dev', ACQ), GITHUB_STEP_SUMMARY: summary }),
    );
    expect(res.code, res.stdout + res.stderr).toBe(1);
    const annotations = res.stdout.split('\n').filter((l) => l.startsWith('::error '));
    // "List events" and "List death notifications" both list; the first event's type is wrong in each.
    expect(annotations.length).toBeGreaterThanOrEqual(1);
    const [first] = annotations;
    expect(first).toMatch(/^::error title=GDX%3A Acquirer%3A events \/ List events::Acquirer: events \/ List events: /);
    expect(first).toMatch(/\(CorrelationID [0-9a-f-]{36}\)$/);
    const id = /\(CorrelationID ([0-9a-f-]{36})\)$/.exec(first!)![1]!;
    expect(res.stdout + res.stderr).not.toContain(ACQ.clientSecret);

    const written = readFileSync(summary, 'utf8');
    // Appended, after what earlier steps wrote.
    expect(written.startsWith('# Earlier steps\n\n## GDX Data Share connection test: failed (exit 1)\n')).toBe(true);
    expect(written).toContain('| environment (client) | requests | failed requests | schema errors | assertions | skipped folders | token requests |');
    expect(written).toMatch(/^\| dev \(local-acquirer\) \| 3 \| 2 \| 2 \| \d+ \| \d+ \| \d+ \(\d+ issued\) \|$/m);
    expect(written).toContain('### Failed requests');
    expect(written).toContain('- dev (local-acquirer): **Acquirer: events / List events**: ');
    expect(written).toContain(`CorrelationID (quote it to the GDX team): \`${id}\``);
    expect(written).not.toContain(ACQ.clientSecret);
    expect(written).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  });

  it("escapes what GitHub reads as a command's end or a new line", () => {
    const line = annotation(
      {
        iteration: 0,
        folder: 'F: a, b',
        name: 'R',
        skipped: false,
        assertions: [{ name: 'status is 200', error: '100% wrong\nnext line' }],
        schemaFailures: [],
        errors: [],
      },
      'c0ffee00-0000-4000-8000-000000000000',
    );
    expect(line).toBe(
      '::error title=GDX%3A F%3A a%2C b / R::F: a, b / R: status is 200: 100%25 wrong%0Anext line (CorrelationID c0ffee00-0000-4000-8000-000000000000)',
    );
  });
});
