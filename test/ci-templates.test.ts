// The CI templates for a department's own repository (docs/ci/): valid YAML for GitHub Actions,
// GitLab and Azure Pipelines, each on Node.js 24, installing the package by one variable
// (GDX_PACKAGE: the pinned version by default, or the release tarball) and running
// `gdx-data-share smoke` on a weekday schedule and by hand, with credentials from the CI system's
// masked secrets (a pair per environment, or a pair per role), the JUnit file where that system
// shows tests and the HTML report kept, and never the opt-in publish. Their commands run here,
// verbatim, in an empty folder, against the stand-in: from a registry on loopback that serves the
// packed tarball, from a mirror that asks for a token, and from the tarball with no registry.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyntaxValidator } from 'fast-xml-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv } from './helpers/cli.js';
import { MANIFEST, packed } from './helpers/package-install.js';
import { registryAbsent, startRegistry, tokenGate, type Registry } from './helpers/registry.js';
import { closedPort } from './helpers/servers.js';

type Yaml = Record<string, unknown>;
const read = (file: string): string => readFileSync(join(PROJECT_ROOT, 'docs', 'ci', file), 'utf8');
function parsed(file: string): Yaml {
  const doc = parseDocument(read(file));
  expect(
    doc.errors.map((e) => e.message),
    file,
  ).toEqual([]);
  return doc.toJS() as Yaml;
}

interface Step {
  run?: string;
  script?: string;
  uses?: string;
  task?: string;
  publish?: string;
  if?: string;
  condition?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
}

/** What a run of a template is handed: where npm installs from, and what with. */
interface Setting {
  environments: string;
  /** The registry or mirror URL, or undefined for none. */
  registry?: string;
  npmToken?: string;
  /** GDX_PACKAGE, or undefined for the template's default (the pinned version). */
  gdxPackage?: string;
}

interface Template {
  file: string;
  /** The shell commands, in order, as the CI system runs them. */
  commands(doc: Yaml): string[];
  /** The variables the CI system would set for `setting`, as its own names. */
  env(setting: Setting): Record<string, string>;
  shell: string;
}

const githubSteps = (doc: Yaml): Step[] => Object.values(doc['jobs'] as Record<string, { steps: Step[] }>).flatMap((j) => j.steps);
const azureSteps = (doc: Yaml): Step[] => (doc['jobs'] as { steps: Step[] }[]).flatMap((j) => j.steps);
const optional = (name: string, value: string | undefined): Record<string, string> => (value === undefined ? {} : { [name]: value });

const TEMPLATES: Template[] = [
  {
    file: 'github-actions.yml',
    commands: (doc) => githubSteps(doc).flatMap((s) => (s.run ? [s.run] : [])),
    // An unset repository variable or secret reaches the step as an empty string.
    env: (s) => ({ GDX_ENV: s.environments, ACKNOWLEDGE: 'false', MIRROR: s.registry ?? '', NPM_TOKEN: s.npmToken ?? '', GDX_PACKAGE: s.gdxPackage ?? '' }),
    shell: 'bash',
  },
  {
    file: 'gitlab-ci.yml',
    commands: (doc) => [(doc['gdx-smoke'] as { script: string[] }).script.join('\n')],
    // The job's own variables (GDX_PACKAGE's default) unless the project's override them.
    env: (s) => ({
      GDX_ENVIRONMENTS: s.environments,
      GDX_PACKAGE: s.gdxPackage ?? (parsed('gitlab-ci.yml')['gdx-smoke'] as { variables: Record<string, string> }).variables['GDX_PACKAGE']!,
      ...optional('npm_config_registry', s.registry),
      ...optional('NPM_TOKEN', s.npmToken),
    }),
    shell: 'sh',
  },
  {
    file: 'azure-pipelines.yml',
    commands: (doc) => azureSteps(doc).flatMap((s) => (s.script ? [s.script] : [])),
    // A secret that is not defined reaches a mapped env as the text $(NAME).
    env: (s) => ({
      GDX_ENVIRONMENTS: s.environments,
      ACKNOWLEDGE: 'False',
      GDX_PACKAGE:
        s.gdxPackage ?? (parsed('azure-pipelines.yml')['variables'] as { name: string; value: string }[]).find((v) => v.name === 'GDX_PACKAGE')!.value,
      NPM_TOKEN: s.npmToken ?? '$(NPM_TOKEN)',
      ...optional('NPM_CONFIG_REGISTRY', s.registry),
    }),
    shell: 'bash',
  },
];

const SECRET_MAPS: Record<string, (name: string) => string> = {
  'github-actions.yml': (name) => `\${{ secrets.${name} }}`,
  'azure-pipelines.yml': (name) => `$(${name})`,
};

describe('the CI templates in docs/ci/', () => {
  for (const t of TEMPLATES) {
    describe(t.file, () => {
      it('is valid YAML that installs GDX_PACKAGE, by default this version, with npm, and runs gdx-data-share smoke with every reporter', () => {
        const script = t.commands(parsed(t.file)).join('\n');
        expect(script).toContain(`npm install --prefix gdx-tools --no-audit --no-fund "\${GDX_PACKAGE:-${MANIFEST.name}@${MANIFEST.version}}"`);
        // On GitHub Actions the github reporter annotates failures and writes the job summary too.
        const reporters = t.file === 'github-actions.yml' ? 'cli,junit,json,html,github' : 'cli,junit,json,html';
        expect(script).toMatch(new RegExp(`^\\s*gdx-data-share smoke --env "\\$\\w+" \\$ack --reporters ${reporters} --out reports$`, 'm'));
      });

      it('never names the opt-in publish, never echoes a secret or writes a token out, never hides a failure', () => {
        const text = read(t.file);
        expect(text).not.toMatch(/publish-death-notification|publishDeathNotification/i);
        expect(text).not.toMatch(/echo[^\n]*(SECRET|TOKEN|secrets\.)/i);
        const script = t.commands(parsed(t.file)).join('\n');
        expect(script).not.toMatch(/CLIENT_SECRET|secrets\./);
        // The .npmrc line names the variable, which npm expands: the token itself is never written.
        expect(script).toContain("printf '//%s:_authToken=${NPM_TOKEN}\\n'");
        expect(text).not.toMatch(/set -x|ACTIONS_STEP_DEBUG|\|\|\s*true|continue-on-error|allow_failure/);
      });

      it('runs on Node.js 24 and says when to move to 26; names the proxy and CA variables of a runner behind a proxy', () => {
        const text = read(t.file);
        expect(text).toMatch(/Node\.js 24 is maintained until 30 April 2028: move to 26/);
        for (const name of ['HTTPS_PROXY', 'NO_PROXY', 'GDX_CA_FILE', 'GDX_PACKAGE', 'NPM_TOKEN']) expect(text, name).toContain(name);
        expect(text).not.toMatch(/node:20|'20\.x'|node-version: 20/);
      });
    });
  }

  for (const file of Object.keys(SECRET_MAPS)) {
    it(`${file}: maps each environment's pair, and dev's and demo's pairs per role, into the smoke step`, () => {
      const steps = file === 'github-actions.yml' ? githubSteps(parsed(file)) : azureSteps(parsed(file));
      const smoke = steps.find((s) => (s.run ?? s.script)?.includes('gdx-data-share smoke'))!;
      const names = [
        ...['DEV', 'DEMO', 'INTEGRATION'].flatMap((e) => [`GDX_${e}_CLIENT_ID`, `GDX_${e}_CLIENT_SECRET`]),
        ...['DEV', 'DEMO'].flatMap((e) => ['SUPPLIER', 'ACQUIRER'].flatMap((r) => [`GDX_${e}_${r}_CLIENT_ID`, `GDX_${e}_${r}_CLIENT_SECRET`])),
      ];
      for (const name of names) expect(smoke.env![name], name).toBe(SECRET_MAPS[file]!(name));
    });
  }

  it('GitHub: weekdays on a schedule and by hand, Node 24 in a container whose image a variable can move, reports uploaded even when the run fails', () => {
    const doc = parsed('github-actions.yml');
    const on = doc['on'] as { schedule: { cron: string }[]; workflow_dispatch: unknown };
    expect(on.schedule[0]!.cron).toBe('17 6 * * 1-5');
    expect(on.workflow_dispatch).toBeDefined();
    expect(doc['permissions']).toEqual({ contents: 'read' });
    const job = (doc['jobs'] as Record<string, Yaml>)['smoke']!;
    expect(job['container']).toEqual({ image: "${{ vars.GDX_NODE_IMAGE || 'node:24-bookworm' }}" });
    expect(job['env']).toEqual({ HTTPS_PROXY: '${{ vars.HTTPS_PROXY }}', NO_PROXY: '${{ vars.NO_PROXY }}', GDX_CA_FILE: '${{ vars.GDX_CA_FILE }}' });
    const steps = githubSteps(doc);
    const install = steps.find((s) => s.run?.includes('npm install'))!;
    expect(install.env).toEqual({ GDX_PACKAGE: '${{ vars.GDX_PACKAGE }}', MIRROR: '${{ vars.NPM_CONFIG_REGISTRY }}', NPM_TOKEN: '${{ secrets.NPM_TOKEN }}' });
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with!['path']).toBe('reports/');
    expect(job['timeout-minutes']).toBe(20);
  });

  it("GitLab: on a pipeline schedule and by hand, Node 24's image from a variable, the JUnit file in GitLab's test report, the reports kept even when the run fails", () => {
    const job = parsed('gitlab-ci.yml')['gdx-smoke'] as { image: string; variables: Yaml; rules: { if: string }[]; timeout: string; artifacts: Yaml };
    expect(job.image).toBe('$GDX_NODE_IMAGE');
    expect(job.variables).toEqual({ GDX_NODE_IMAGE: 'node:24-bookworm', GDX_PACKAGE: `${MANIFEST.name}@${MANIFEST.version}` });
    expect(job.rules.map((r) => r.if)).toEqual(['$CI_PIPELINE_SOURCE == "schedule"', '$CI_PIPELINE_SOURCE == "web"']);
    expect(read('gitlab-ci.yml')).toContain('"17 6 * * 1-5"');
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['reports/'], reports: { junit: 'reports/junit.xml' } });
    expect(job.timeout).toBe('20 minutes');
  });

  it('Azure: weekdays on a schedule and by hand, UseNode@1 24.x from a mirror a variable names, PublishTestResults@2 and the reports even when the run fails', () => {
    const doc = parsed('azure-pipelines.yml');
    expect(doc['trigger']).toBe('none');
    expect((doc['schedules'] as { cron: string; always: boolean }[])[0]).toMatchObject({ cron: '17 6 * * 1-5', always: true });
    expect(doc['variables']).toEqual([
      { name: 'GDX_PACKAGE', value: `${MANIFEST.name}@${MANIFEST.version}` },
      { name: 'GDX_NODE_MIRROR', value: 'https://nodejs.org/dist' },
    ]);
    const steps = azureSteps(doc);
    expect(steps.find((s) => s.task === 'UseNode@1')!.inputs).toEqual({ version: '24.x', nodejsMirror: '$(GDX_NODE_MIRROR)' });
    const junit = steps.find((s) => s.task === 'PublishTestResults@2')!;
    expect(junit.condition).toBe('succeededOrFailed()');
    expect(junit.inputs).toMatchObject({ testResultsFormat: 'JUnit', testResultsFiles: 'reports/junit.xml' });
    expect(steps.find((s) => s.publish === 'reports')!.condition).toBe('succeededOrFailed()');
    expect((doc['jobs'] as Yaml[])[0]!['timeoutInMinutes']).toBe(20);
  });

  it('needs no manifest or lock of the department: docs/ci/ holds the three templates alone', () => {
    expect(readdirSync(join(PROJECT_ROOT, 'docs', 'ci')).sort()).toEqual(['azure-pipelines.yml', 'github-actions.yml', 'gitlab-ci.yml']);
  });

  it("this repository's own workflow runs .ci/run on Node 24, on push and pull request, and no smoke run on a schedule", () => {
    const ci = parseDocument(readFileSync(join(PROJECT_ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')).toJS() as Yaml;
    expect(Object.keys(ci['on'] as Yaml).sort()).toEqual(['pull_request', 'push']);
    expect(JSON.stringify(ci['jobs'])).toContain('bash .ci/run');
    expect((ci['jobs'] as Record<string, Yaml>)['ci']!['container']).toBe('node:24-bookworm');
  });
});

const noRegistry = registryAbsent();
describe.skipIf(!!noRegistry && process.env['CI'] !== 'true')(
  `the templates' commands, run in an empty folder against the stand-in${noRegistry ? ` (skipped: ${noRegistry})` : ''}`,
  () => {
    const root = mkdtempSync(join(tmpdir(), 'gdx-ci-templates-'));
    const TOKEN = 'mirror-token-4b1d7c0e9a';
    // Undefined until beforeAll has started them (afterAll stops what did start).
    let registry: Registry | undefined;
    let mirror: (Registry & { refused: () => number }) | undefined;
    let standin: Standin | undefined;
    let tarball = '';
    beforeAll(async () => {
      tarball = packed().tarball;
      registry = await startRegistry(join(root, 'registry'), tarball);
      mirror = await tokenGate(registry, TOKEN);
      standin = await startStandin();
    }, 300_000);
    afterAll(async () => {
      await mirror?.stop();
      await registry?.stop();
      await standin?.stop();
      rmSync(root, { recursive: true, force: true });
    });

    const runIn = (dir: string, t: Template, script: string, env: Record<string, string>): Promise<{ code: number; output: string }> =>
      new Promise((resolve) => {
        execFile(t.shell, ['-c', `set -e\n${script}`], { cwd: dir, env: cleanEnv(env), timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
        );
      });

    /** A template's whole script in a fresh folder, with its own npm cache and temporary folder. */
    async function runTemplate(t: Template, name: string, setting: Setting, extra: Record<string, string>) {
      const dir = join(root, `${t.file}-${name}`);
      mkdirSync(join(dir, 'tmp'), { recursive: true });
      const res = await runIn(dir, t, t.commands(parsed(t.file)).join('\n'), {
        ...t.env(setting),
        npm_config_cache: join(dir, 'npm-cache'),
        TMPDIR: join(dir, 'tmp'),
        GDX_DEMO_TOKEN_URL: standin!.tokenUrl,
        GDX_DEMO_BASE_URL: standin!.baseUrl,
        ...extra,
      });
      return { ...res, dir };
    }

    const { supplier, acquirer, publisherConsumer } = LOCAL_CLIENTS;
    const ONE_PAIR = { GDX_DEMO_CLIENT_ID: publisherConsumer.clientId, GDX_DEMO_CLIENT_SECRET: publisherConsumer.clientSecret };
    const ROLE_PAIRS = {
      GDX_DEMO_SUPPLIER_CLIENT_ID: supplier.clientId,
      GDX_DEMO_SUPPLIER_CLIENT_SECRET: supplier.clientSecret,
      GDX_DEMO_ACQUIRER_CLIENT_ID: acquirer.clientId,
      GDX_DEMO_ACQUIRER_CLIENT_SECRET: acquirer.clientSecret,
    };

    function expectGreenReports(res: { code: number; output: string; dir: string }, secrets: string[]): void {
      expect(res.code, res.output).toBe(0);
      for (const secret of secrets) expect(res.output).not.toContain(secret);
      const junit = readFileSync(join(res.dir, 'reports', 'junit.xml'), 'utf8');
      expect(() => SyntaxValidator.validate(junit)).not.toThrow();
      expect(junit).toContain(`<property name="gdx-data-share-postman.version" value="${MANIFEST.version}"/>`);
      expect(readFileSync(join(res.dir, 'reports', 'report.html'), 'utf8')).toContain('</html>');
    }

    const clientsIn = (dir: string): string[] =>
      (JSON.parse(readFileSync(join(dir, 'reports', 'summary.json'), 'utf8')) as { environments: { clientId: string; role?: string }[] }).environments.map(
        (e) => `${e.clientId} ${e.role ?? '?'}`,
      );

    for (const t of TEMPLATES) {
      it(`${t.file}: installs the pinned version from the registry and runs green on demo (the stand-in), writing every report`, async () => {
        const before = standin!.counters();
        const res = await runTemplate(t, 'registry', { environments: 'demo', registry: registry!.url }, ONE_PAIR);
        expectGreenReports(res, [publisherConsumer.clientSecret]);
        expect(res.output).toContain(`${MANIFEST.version}\n`);
        expect(standin!.counters().tokenRequestsTotal).toBeGreaterThan(before.tokenRequestsTotal);
      }, 300_000);

      it(`${t.file}: with a pair per role, one run tests both clients, each in its role, in one summary`, async () => {
        const res = await runTemplate(t, 'roles', { environments: 'demo', registry: registry!.url }, ROLE_PAIRS);
        expectGreenReports(res, [supplier.clientSecret, acquirer.clientSecret]);
        expect(clientsIn(res.dir)).toEqual([`${supplier.clientId} supplier`, `${acquirer.clientId} acquirer`]);
      }, 300_000);

      it(`${t.file}: from a mirror that asks for a token, installs with NPM_TOKEN and writes the token nowhere; without it, the install fails`, async () => {
        const refusedBefore = mirror!.refused();
        const res = await runTemplate(t, 'mirror', { environments: 'demo', registry: mirror!.url, npmToken: TOKEN }, ONE_PAIR);
        expectGreenReports(res, [publisherConsumer.clientSecret, TOKEN]);
        expect(mirror!.refused()).toBe(refusedBefore);
        // The user config npm read holds the variable's name, and no file of the run the value.
        const files = readdirSync(res.dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => readFileSync(join(e.parentPath, e.name), 'latin1'));
        expect(files.filter((text) => /^\/\/\S+:_authToken=/.test(text))).toEqual([`//${new URL(mirror!.url).host}/:_authToken=\${NPM_TOKEN}\n`]);
        expect(files.filter((text) => text.includes(TOKEN))).toEqual([]);
        const refused = await runTemplate(t, 'mirror-no-token', { environments: 'demo', registry: mirror!.url }, ONE_PAIR);
        expect(refused.code).not.toBe(0);
        expect(refused.output).toMatch(/E401|401 Unauthorized/);
        expect(mirror!.refused()).toBeGreaterThan(refusedBefore);
        expect(existsSync(join(refused.dir, 'reports'))).toBe(false);
      }, 300_000);

      it(`${t.file}: GDX_PACKAGE set to the release tarball installs it with no registry to reach, and runs green`, async () => {
        const res = await runTemplate(t, 'tarball', { environments: 'demo', registry: `${await closedPort()}/`, gdxPackage: tarball }, ONE_PAIR);
        expectGreenReports(res, [publisherConsumer.clientSecret]);
      }, 300_000);

      it(`${t.file}: without the variable naming the environments, stops with exit 2 and says which to set`, async () => {
        const dir = join(root, `${t.file}-unset`);
        mkdirSync(dir, { recursive: true });
        const script = t
          .commands(parsed(t.file))
          .join('\n')
          .replace(/^.*npm install.*$/m, 'true')
          .replace(/^.*gdx-data-share --version$/m, 'true');
        const res = await runIn(dir, t, script, t.env({ environments: '', registry: registry!.url }));
        expect(res.code).toBe(2);
        expect(res.output).toMatch(/^Set the (repository|CI\/CD|pipeline) variable GDX_ENVIRONMENTS to the environments you hold credentials for/m);
      });
    }

    it('azure-pipelines.yml: secrets that are not defined, which Azure hands on as $(NAME), are dropped: demo runs on the pair that is set', async () => {
      const azure = TEMPLATES.find((t) => t.file === 'azure-pipelines.yml')!;
      const undefinedRoles = Object.fromEntries(Object.keys(ROLE_PAIRS).map((k) => [k, `$(${k})`]));
      const res = await runTemplate(azure, 'undefined-roles', { environments: 'demo', registry: registry!.url }, { ...ONE_PAIR, ...undefinedRoles });
      expectGreenReports(res, [publisherConsumer.clientSecret]);
      expect(clientsIn(res.dir)).toEqual([`${publisherConsumer.clientId} ?`]);
    }, 300_000);

    it('azure-pipelines.yml: an environment whose secrets are all undefined fails with exit 2, saying it has no credentials, and asks for no token', async () => {
      const azure = TEMPLATES.find((t) => t.file === 'azure-pipelines.yml')!;
      const before = standin!.counters().tokenRequestsTotal;
      const allUndefined = Object.fromEntries([...Object.keys(ONE_PAIR), ...Object.keys(ROLE_PAIRS)].map((k) => [k, `$(${k})`]));
      const res = await runTemplate(azure, 'undefined-all', { environments: 'demo', registry: registry!.url }, allUndefined);
      expect(res.code).toBe(2);
      expect(res.output).toContain('error: no credentials for demo: set GDX_DEMO_CLIENT_ID and GDX_DEMO_CLIENT_SECRET');
      expect(standin!.counters().tokenRequestsTotal).toBe(before);
    }, 300_000);
  },
);
