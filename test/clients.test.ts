// The same collection in every client a tester uses: Newman, the official Postman CLI (the v2.1
// file and the v3 folder) and Bruno's importer with both of its sandboxes. Each runs the supplier
// then the acquirer folders against a fresh stand-in, and must send the same requests and record
// the same assertions as Newman. A wrong secret must fail every one of them, saying why.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldersFor } from '../src/catalogue.js';
import { findEnvironment, LOCAL_CLIENTS, type Role } from '../src/environments.js';
import { collectionName, collectionPath, environmentPath } from '../src/generate/names.js';
import { v3FileName } from '../src/generate/postman-v3.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { BRU, POSTMAN, brunoCounts, brunoImport, missingClients, postmanCounts, runTool } from './helpers/clients.js';
import { forRole, runAgainst, sent } from './helpers/newman-run.js';

const LOCAL = findEnvironment('local')!;
const COLLECTION = join(PROJECT_ROOT, collectionPath(LOCAL));
const ENVIRONMENT = join(PROJECT_ROOT, environmentPath(LOCAL));
const V3_COLLECTION = join(PROJECT_ROOT, 'postman', 'collections', v3FileName(collectionName(LOCAL)));
const V3_ENVIRONMENT = join(PROJECT_ROOT, 'postman', 'environments', 'local.yaml');
const ROLES: Role[] = ['supplier', 'acquirer'];
const missing = missingClients();

interface Counts {
  requests: number;
  assertions: number;
  failed: number;
}
interface Outcome extends Counts {
  code: number;
  /** What the client printed and reported, to look for the GDX token message in. */
  text: string;
}
type Client = (role: Role, standin: Standin, secret: string) => Promise<Outcome>;

const folders = (role: Role): string[] => foldersFor(LOCAL).filter(forRole(role)).map((f) => f.name);
const clientOf = (role: Role) => LOCAL_CLIENTS[role];

function postman(collection: string, environment: string): Client {
  return async (role, standin, secret) => {
    const args = ['collection', 'run', collection, '-e', environment, '-r', 'cli'];
    const vars = { tokenUrl: standin.tokenUrl, baseUrl: standin.baseUrl, clientId: clientOf(role).clientId, clientSecret: secret };
    for (const [k, v] of Object.entries(vars)) args.push('--env-var', `${k}=${v}`);
    for (const f of folders(role)) args.push('-i', f);
    const run = await runTool(POSTMAN, args, mkdtempSync(join(tmpdir(), 'gdx-pm-')));
    return { code: run.code, text: run.output, ...postmanCounts(run.output) };
  };
}

let brunoDir = '';
function bruno(sandbox: 'safe' | 'developer'): Client {
  return async (role, standin, secret) => {
    const report = join(mkdtempSync(join(tmpdir(), 'gdx-bru-')), 'report.json');
    const args = ['run', ...folders(role).map(v3FileName), '--env', collectionName(LOCAL), '--sandbox', sandbox, '--reporter-json', report];
    const vars = { tokenUrl: standin.tokenUrl, baseUrl: standin.baseUrl, clientId: clientOf(role).clientId, clientSecret: secret };
    for (const [k, v] of Object.entries(vars)) args.push('--env-var', `${k}=${v}`);
    const run = await runTool(BRU, args, brunoDir);
    return { code: run.code, text: run.output + readFileSync(report, 'utf8'), ...brunoCounts(report) };
  };
}

const newman: Client = async (role, standin, secret) => {
  const outcome = await runAgainst({ standin, clientId: clientOf(role).clientId, clientSecret: secret, folders: forRole(role) });
  const executions = sent(outcome);
  const assertions = outcome.executions.flatMap((e) => e.assertions);
  const failed = assertions.filter((a) => a.error).length;
  return { code: failed ? 1 : 0, text: assertions.map((a) => a.name).join('\n'), requests: executions.length, assertions: assertions.length, failed };
};

const CLIENTS: Record<string, Client> = {
  'Postman CLI, v2.1 file': postman(COLLECTION, ENVIRONMENT),
  'Postman CLI, v3 folder': postman(V3_COLLECTION, V3_ENVIRONMENT),
  'Bruno, safe sandbox': bruno('safe'),
  'Bruno, developer sandbox': bruno('developer'),
};

/** Supplier then acquirer on one fresh stand-in, as npm run smoke does: the acquirer acknowledges the supplier's test event. */
async function bothRoles(client: Client, secret?: (role: Role) => string): Promise<Record<Role, Outcome>> {
  const standin = await startStandin();
  try {
    const out = {} as Record<Role, Outcome>;
    for (const role of ROLES) out[role] = await client(role, standin, secret ? secret(role) : clientOf(role).clientSecret);
    return out;
  } finally {
    await standin.stop();
  }
}

if (missing && process.env.CI === 'true') {
  describe('other clients', () => {
    it('are installed (CI needs them)', () => {
      expect.fail(`the Postman CLI and Bruno are required when CI=true: ${missing}`);
    });
  });
}

describe.skipIf(!!missing)(`other clients${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let baseline: Record<Role, Outcome>;

  beforeAll(async () => {
    brunoDir = join(mkdtempSync(join(tmpdir(), 'gdx-bruno-')), 'collection');
    await brunoImport(COLLECTION, ENVIRONMENT, brunoDir);
    baseline = await bothRoles(newman);
    // The baseline must itself be a real run: requests sent and nothing failed.
    for (const role of ROLES) {
      expect(baseline[role].failed, role).toBe(0);
      expect(baseline[role].requests, role).toBeGreaterThan(5);
    }
  }, 120_000);


  for (const [name, client] of Object.entries(CLIENTS)) {
    it(`${name}: green for both roles, with Newman's request and assertion counts`, async () => {
      const outcome = await bothRoles(client);
      for (const role of ROLES) {
        const { requests, assertions, failed, code } = outcome[role];
        expect({ role, requests, assertions, failed, code }, outcome[role].text.slice(-3000)).toEqual({
          role,
          requests: baseline[role].requests,
          assertions: baseline[role].assertions,
          failed: 0,
          code: 0,
        });
      }
    }, 180_000);

    it(`${name}: a wrong secret fails the run with the GDX token message`, async () => {
      const standin = await startStandin();
      try {
        const outcome = await client('acquirer', standin, 'not-the-secret');
        expect(outcome.code, outcome.text.slice(-3000)).not.toBe(0);
        expect(outcome.text).toMatch(/GDX token: \S+ answered 400/);
      } finally {
        await standin.stop();
      }
    }, 120_000);
  }
});

describe.skipIf(!!missing)('Postman CLI lint', () => {
  for (const env of ['local', 'dev', 'demo', 'integration'] as const) {
    it(`the v3 ${env} collection lints with 0 errors and 0 warnings`, async () => {
      const dir = join(PROJECT_ROOT, 'postman', 'collections', v3FileName(collectionName(findEnvironment(env)!)));
      const run = await runTool(POSTMAN, ['collection', 'lint', dir, '-f', 'warning'], PROJECT_ROOT);
      expect(run.output).toMatch(/Errors: 0 \| Warnings: 0/);
      expect(run.code, run.output).toBe(0);
    }, 60_000);
  }
});
