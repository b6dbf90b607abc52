// A failure explains itself, in every reporter: an API in front of the stand-in that takes `links`
// out of GET /events and sets the first event's eventType to SOMETHING_ELSE. Each reporter names
// the path, what was received and what the schema allows, each schema error once, no second copy
// in Postman's wording, and a headline that counts failed requests with the schema errors beside.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, creds, smokeAcquirerEvents, type CliResult } from './helpers/cli.js';
import { rewritingProxyTo, type Running } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const ENUM = 'is "SOMETHING_ELSE"; the event-list schema allows one of "GRO_DEATH_NOTIFICATION", "DEATH_NOTIFICATION", "LIFE_EVENT", "TEST_EVENT"';
const LINKS = 'has no "links", which the event-list schema requires';
let standin: Standin;
let api: Running;
let dir: string;
let run: CliResult;
const file = (name: string): string => readFileSync(join(dir, name), 'utf8');

beforeAll(async () => {
  standin = await startStandin();
  api = await rewritingProxyTo(standin.baseUrl, (method, url, status, body) => {
    if (method !== 'GET' || !/^\/events(\?|$)/.test(url) || status !== 200) return body;
    const page = JSON.parse(body) as { data: { attributes: { eventType: string } }[]; links?: unknown };
    delete page.links;
    if (page.data[0]) page.data[0].attributes.eventType = 'SOMETHING_ELSE';
    return JSON.stringify(page);
  });
  dir = mkdtempSync(join(tmpdir(), 'gdx-explains-'));
  writeFileSync(join(dir, 'step-summary.md'), '');
  run = await smokeAcquirerEvents(
    { tokenUrl: standin.tokenUrl, baseUrl: api.url },
    'cli,junit,json,html,github',
    dir,
    cleanEnv({ ...creds('dev', ACQ), GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md') }),
  );
}, 60_000);
afterAll(async () => {
  await api.close();
  await standin.stop();
});

describe('a failure explains itself', () => {
  it('the run fails (exit 1): two lists failed, the read of one event passed', () => {
    expect(run.code, run.stdout + run.stderr).toBe(1);
  });

  it("console: each schema error once, with where, what was received and what is allowed; Postman's copy only points at them; the table counts failed requests", () => {
    const out = run.stdout;
    for (const request of ['List events', 'List death notifications']) {
      const block = out.slice(out.indexOf(`Acquirer: events / ${request} `));
      const lines = block.split('\n').slice(0, 4);
      expect(lines.slice(1), request).toEqual([
        '       body matches the event-list schema: see the schema errors below',
        `       schema: / ${LINKS}`,
        `       schema: /data/0/attributes/eventType ${ENUM}`,
      ]);
    }
    expect(out).not.toContain('expected data to satisfy schema');
    expect(out).toMatch(/^environment\s+requests\s+assertions\s+failed requests\s+schema errors\s/m);
    expect(out).toMatch(/^dev \(local-acquirer\)\s+3\s+\d+\s+2\s+4\s/m);
  });

  it('JUnit: each failed request a failure, its first message the first schema error, and no Postman copy', () => {
    const xml = file('junit.xml');
    expect(xml).toMatch(/<testsuites name="GDX smoke" tests="\d+" failures="2"/);
    expect(xml).toContain(`<failure message="schema / has no &quot;links&quot;, which the event-list schema requires" type="AssertionFailure">`);
    expect(xml).toContain(
      'schema /data/0/attributes/eventType is &quot;SOMETHING_ELSE&quot;; the event-list schema allows one of &quot;GRO_DEATH_NOTIFICATION&quot;',
    );
    expect(xml).not.toContain('expected data to satisfy schema');
  });

  it('JSON: the received and the expected beside each schema error, and the counts apart', () => {
    const summary = JSON.parse(file('summary.json')) as {
      environments: {
        totals: { failedRequests: number; schemaFailures: number };
        executions: { name: string; schemaFailures: { pointer: string; received?: string; expected?: string; message: string }[] }[];
      }[];
    };
    const [env] = summary.environments;
    expect(env!.totals.failedRequests).toBe(2);
    expect(env!.totals.schemaFailures).toBe(4);
    const list = env!.executions.find((e) => e.name === 'List events')!;
    expect(list.schemaFailures).toEqual([
      { request: 'Acquirer: events / List events', status: 200, pointer: '/', expected: 'the property "links"', received: 'none', message: LINKS },
      {
        request: 'Acquirer: events / List events',
        status: 200,
        pointer: '/data/0/attributes/eventType',
        expected: 'one of "GRO_DEATH_NOTIFICATION", "DEATH_NOTIFICATION", "LIFE_EVENT", "TEST_EVENT"',
        received: '"SOMETHING_ELSE"',
        message: ENUM,
      },
    ]);
  });

  it('HTML: the headline counts failed requests, the schema errors beside them', () => {
    const html = file('report.html');
    expect(html).toContain('<title>GDX smoke run: failed (2 failed requests (4 schema errors))</title>');
    expect(html).toContain('<div class="verdict fail" role="alert">2 failed requests (4 schema errors)</div>');
    expect(html).toContain('&quot;SOMETHING_ELSE&quot;; the event-list schema allows one of &quot;GRO_DEATH_NOTIFICATION&quot;');
    expect(html).not.toContain('expected data to satisfy schema');
  });

  it('github: an annotation for each failed request with the received value and the allowed ones, and the summary with the counts apart', () => {
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toContain(`Acquirer: events / List events: schema / ${LINKS}; schema /data/0/attributes/eventType ${ENUM} (CorrelationID `);
    const summary = file('step-summary.md');
    expect(summary).toMatch(/^\| dev \(local-acquirer\) \| 3 \| 2 \| 4 \| \d+ \| \d+ \| \d+ \(\d+ issued\) \|$/m);
    expect(summary).not.toContain('expected data to satisfy schema');
  });
});
