// What a CI system hands the runner in its variables. A reference it left unexpanded ($(NAME) in
// Azure when NAME is undefined, and its kin) is refused before any request, naming the variable.
// A department the GDX guide gave a client per role sets a pair per role: one run tests both,
// each in its role, in one summary, as local does; doctor checks both.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { serve, type Running } from './helpers/servers.js';

const out = mkdtempSync(join(tmpdir(), 'gdx-credential-variables-'));
let standin: Standin;
/** A token endpoint and API that count what reaches them, and answer nothing useful. */
let counting: Running;
let received = 0;
beforeAll(async () => {
  standin = await startStandin();
  counting = await serve((req, res) => {
    received++;
    req.resume();
    res.writeHead(500).end();
  });
});
afterAll(async () => {
  await standin.stop();
  await counting.close();
  rmSync(out, { recursive: true, force: true });
});

const { supplier, acquirer, publisherConsumer } = LOCAL_CLIENTS;
const rolePairs = (env: string): Record<string, string> => ({
  [`GDX_${env}_SUPPLIER_CLIENT_ID`]: supplier.clientId,
  [`GDX_${env}_SUPPLIER_CLIENT_SECRET`]: supplier.clientSecret,
  [`GDX_${env}_ACQUIRER_CLIENT_ID`]: acquirer.clientId,
  [`GDX_${env}_ACQUIRER_CLIENT_SECRET`]: acquirer.clientSecret,
});

describe('a reference CI left unexpanded', () => {
  const at = (): Record<string, string> => ({ GDX_DEV_TOKEN_URL: `${counting.url}/oauth2/token`, GDX_DEV_BASE_URL: counting.url });
  const FORMS: [string, string][] = [
    ['Azure $(NAME)', '$(GDX_DEV_CLIENT_ID)'],
    ['shell ${NAME}', '${GDX_DEV_CLIENT_ID}'],
    ['shell $NAME', '$GDX_DEV_CLIENT_ID'],
    ["Windows' %NAME%", '%GDX_DEV_CLIENT_ID%'],
    ['Postman {{NAME}}', '{{GDX_DEV_CLIENT_ID}}'],
  ];
  for (const [label, value] of FORMS) {
    it(`${label} as the client id: smoke exits 2 naming the variable, and sends nothing`, async () => {
      const before = received;
      const res = await runCli(['smoke', '--env', 'dev', '--out', out], {
        env: cleanEnv({ ...at(), GDX_DEV_CLIENT_ID: value, GDX_DEV_CLIENT_SECRET: 'a'.repeat(51) }),
      });
      expect(res.code, res.stdout + res.stderr).toBe(2);
      expect(res.stderr).toBe(
        `error: GDX_DEV_CLIENT_ID holds ${value}, a reference your CI left unexpanded: GDX_DEV_CLIENT_ID is not defined where this step runs (a secret not mapped into the step, or a variable group not linked); define it, or leave GDX_DEV_CLIENT_ID unset\n`,
      );
      expect(received).toBe(before);
    });
  }

  it('in the secret, or a URL: smoke, token and doctor exit 2 before any request, and never print the other value', async () => {
    const before = received;
    const secretLeft = { ...at(), GDX_DEV_CLIENT_ID: 'a'.repeat(26), GDX_DEV_CLIENT_SECRET: '$(GDX_DEV_CLIENT_SECRET)' };
    const urlLeft = { GDX_DEV_CLIENT_ID: 'a'.repeat(26), GDX_DEV_CLIENT_SECRET: 'b'.repeat(51), GDX_DEV_TOKEN_URL: '$(GDX_DEV_TOKEN_URL)' };
    for (const [args, vars, name] of [
      [['smoke', '--env', 'dev', '--out', out], secretLeft, 'GDX_DEV_CLIENT_SECRET'],
      [['token', '--env', 'dev'], secretLeft, 'GDX_DEV_CLIENT_SECRET'],
      [['smoke', '--env', 'dev', '--out', out], urlLeft, 'GDX_DEV_TOKEN_URL'],
      [['token', '--env', 'dev'], urlLeft, 'GDX_DEV_TOKEN_URL'],
      [['doctor', '--env', 'dev'], urlLeft, 'GDX_DEV_TOKEN_URL'],
    ] as const) {
      const res = await runCli([...args], { env: cleanEnv(vars) });
      expect(res.code, `${args.join(' ')}: ${res.stdout}${res.stderr}`).toBe(2);
      expect(res.stderr).toMatch(new RegExp(`^error: ${name} holds \\$\\(${name}\\), a reference your CI left unexpanded`));
      expect(res.stdout + res.stderr).not.toContain('b'.repeat(51));
    }
    expect(received).toBe(before);
  });

  it('a value that only holds a $ or a % is a value: a private deployment may issue such a secret', async () => {
    const res = await runCli(['token', '--env', 'dev', '--token-url', standin.tokenUrl], {
      env: cleanEnv({ GDX_DEV_CLIENT_ID: acquirer.clientId, GDX_DEV_CLIENT_SECRET: 'pa$$word%50' }),
    });
    // Asked, and refused by the token endpoint as a wrong secret: the value went through as it is.
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('invalid_client');
    expect(res.stderr).not.toContain('unexpanded');
  });
});

describe('a client per role on one environment', () => {
  const demo = (): Record<string, string> => ({ GDX_DEMO_TOKEN_URL: standin.tokenUrl, GDX_DEMO_BASE_URL: standin.baseUrl });
  const summaryOf = (dir: string): { exitCode: number; environments: { environment: string; clientId: string; role?: string; executions: unknown[] }[] } =>
    JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

  it('smoke tests both, the supplier first, each in its role, in one summary', async () => {
    const dir = join(out, 'both');
    const res = await runCli(['smoke', '--env', 'demo', '--reporters', 'cli,json', '--out', dir], { env: cleanEnv({ ...demo(), ...rolePairs('DEMO') }) });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const summary = summaryOf(dir);
    expect(summary.environments.map((e) => `${e.environment} ${e.clientId} ${e.role}`)).toEqual([
      `demo ${supplier.clientId} supplier`,
      `demo ${acquirer.clientId} acquirer`,
    ]);
    expect(summary.environments.every((e) => e.executions.length > 0)).toBe(true);
    expect(res.stdout).toMatch(new RegExp(`demo \\(${supplier.clientId}, supplier\\) +\\d+`));
    expect(res.stdout).toMatch(new RegExp(`demo \\(${acquirer.clientId}, acquirer\\) +\\d+`));
    expect(res.stdout + res.stderr).not.toMatch(new RegExp(`${supplier.clientSecret}|${acquirer.clientSecret}`));
  });

  it('--role acquirer runs the acquirer alone', async () => {
    const dir = join(out, 'acquirer');
    const res = await runCli(['smoke', '--env', 'demo', '--role', 'acquirer', '--reporters', 'json', '--out', dir], {
      env: cleanEnv({ ...demo(), ...rolePairs('DEMO') }),
    });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(summaryOf(dir).environments.map((e) => `${e.clientId} ${e.role}`)).toEqual([`${acquirer.clientId} acquirer`]);
  });

  it('doctor checks both clients: a token and a read-only GET for each', async () => {
    standin.resetCounters();
    const res = await runCli(['doctor', '--env', 'demo'], { env: cleanEnv({ ...demo(), ...rolePairs('DEMO') }) });
    expect(res.code, res.stdout).toBe(0);
    expect(res.stdout).toMatch(/^ {2}warn {2}credentials \(supplier\) {2}from GDX_DEMO_SUPPLIER_CLIENT_ID\/GDX_DEMO_SUPPLIER_CLIENT_SECRET: /m);
    expect(res.stdout).toMatch(/^ {2}warn {2}credentials \(acquirer\) {2}from GDX_DEMO_ACQUIRER_CLIENT_ID\/GDX_DEMO_ACQUIRER_CLIENT_SECRET: /m);
    expect(res.stdout).toMatch(/^ {2}ok {4}token \(supplier\) +issued with client_secret_basic, scopes events\/publish/m);
    expect(res.stdout).toMatch(/^ {2}ok {4}API \(supplier\) +GET \/events answered 403: the token was accepted and listing refused/m);
    expect(res.stdout).toMatch(/^ {2}ok {4}token \(acquirer\) +issued with client_secret_basic, scopes events\/consume/m);
    expect(res.stdout).toMatch(/^ {2}ok {4}API \(acquirer\) +GET \/events answered 200, a valid event list/m);
    expect(standin.counters().tokensIssued).toEqual({ [supplier.clientId]: 1, [acquirer.clientId]: 1 });
  });

  it('token gives the supplier by default, and the acquirer with --role acquirer', async () => {
    const claims = async (extra: string[]): Promise<string> => {
      const res = await runCli(['token', '--env', 'demo', ...extra], { env: cleanEnv({ ...demo(), ...rolePairs('DEMO') }) });
      expect(res.code, res.stderr).toBe(0);
      return (JSON.parse(Buffer.from(res.stdout.split('.')[1]!, 'base64url').toString()) as { client_id: string }).client_id;
    };
    expect(await claims([])).toBe(supplier.clientId);
    expect(await claims(['--role', 'acquirer'])).toBe(acquirer.clientId);
  });

  it('refuses, with exit 2 and nothing sent: a role pair beside the one pair, a role the environment lacks, a half-set pair', async () => {
    const before = standin.counters().tokenRequestsTotal;
    const cases: [Record<string, string>, string][] = [
      [
        { ...rolePairs('DEMO'), GDX_DEMO_CLIENT_ID: publisherConsumer.clientId, GDX_DEMO_CLIENT_SECRET: publisherConsumer.clientSecret },
        'error: both GDX_DEMO_CLIENT_ID and GDX_DEMO_SUPPLIER_CLIENT_ID and GDX_DEMO_ACQUIRER_CLIENT_ID are set: use the role pairs or the one pair, not both\n',
      ],
      [
        { GDX_DEMO_ACQUIRER_CLIENT_ID: acquirer.clientId },
        'error: GDX_DEMO_ACQUIRER_CLIENT_SECRET is empty while GDX_DEMO_ACQUIRER_CLIENT_ID is set: set both\n',
      ],
    ];
    for (const [vars, message] of cases) {
      const res = await runCli(['smoke', '--env', 'demo', '--out', out], { env: cleanEnv({ ...demo(), ...vars }) });
      expect(res.code, res.stdout + res.stderr).toBe(2);
      expect(res.stderr).toBe(message);
    }
    const integration = await runCli(['smoke', '--env', 'integration', '--out', out], {
      env: cleanEnv({
        GDX_INTEGRATION_TOKEN_URL: standin.tokenUrl,
        GDX_INTEGRATION_BASE_URL: standin.baseUrl,
        GDX_INTEGRATION_ACQUIRER_CLIENT_ID: acquirer.clientId,
        GDX_INTEGRATION_ACQUIRER_CLIENT_SECRET: acquirer.clientSecret,
      }),
    });
    expect(integration.code).toBe(2);
    expect(integration.stderr).toBe('error: GDX_INTEGRATION_ACQUIRER_CLIENT_ID: integration has nothing for the acquirer role (it has supplier); unset it\n');
    expect(standin.counters().tokenRequestsTotal).toBe(before);
  });
});
