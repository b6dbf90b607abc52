// The CI templates for a department's own repository (docs/ci/): valid YAML for GitHub Actions,
// GitLab and Azure Pipelines, each installing the pinned package from the configured registry
// and running `gdx-data-share smoke` on a weekday schedule and by hand, with credentials from the
// CI system's masked secrets, the JUnit file where that system shows tests and the HTML report
// kept, and never the opt-in publish. Their commands run here, verbatim, in an empty folder, from
// a registry on loopback that serves the packed tarball, against the stand-in.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyntaxValidator } from 'fast-xml-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv } from './helpers/cli.js';
import { cleanCheckout, departmentOverrides, MANIFEST, pack } from './helpers/package-install.js';
import { registryAbsent, startRegistry, type Registry } from './helpers/registry.js';

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

interface Template {
  file: string;
  /** The shell commands, in order, as the CI system runs them. */
  commands(doc: Yaml): string[];
  /** The variables the CI system would set, for a run of `environments`. */
  env(environments: string, registry: string): Record<string, string>;
  shell: string;
}

const githubSteps = (doc: Yaml): Step[] => Object.values(doc['jobs'] as Record<string, { steps: Step[] }>).flatMap((j) => j.steps);
const azureSteps = (doc: Yaml): Step[] => (doc['jobs'] as { steps: Step[] }[]).flatMap((j) => j.steps);

const TEMPLATES: Template[] = [
  {
    file: 'github-actions.yml',
    commands: (doc) => githubSteps(doc).flatMap((s) => (s.run ? [s.run] : [])),
    env: (environments, registry) => ({ GDX_ENV: environments, ACKNOWLEDGE: 'false', MIRROR: registry }),
    shell: 'bash',
  },
  {
    file: 'gitlab-ci.yml',
    commands: (doc) => [(doc['gdx-smoke'] as { script: string[] }).script.join('\n')],
    env: (environments, registry) => ({ GDX_ENVIRONMENTS: environments, npm_config_registry: registry }),
    shell: 'sh',
  },
  {
    file: 'azure-pipelines.yml',
    commands: (doc) => azureSteps(doc).flatMap((s) => (s.script ? [s.script] : [])),
    env: (environments, registry) => ({ GDX_ENVIRONMENTS: environments, ACKNOWLEDGE: 'False', NPM_CONFIG_REGISTRY: registry }),
    shell: 'bash',
  },
];

describe('the CI templates in docs/ci/', () => {
  for (const t of TEMPLATES) {
    describe(t.file, () => {
      it('is valid YAML that pins this version, installs it with npm and runs gdx-data-share smoke with every reporter', () => {
        const script = t.commands(parsed(t.file)).join('\n');
        expect(script).toContain(`npm install --prefix gdx-tools --no-audit --no-fund ${MANIFEST.name}@${MANIFEST.version}`);
        expect(script).toMatch(/^\s*gdx-data-share smoke --env "\$\w+" \$ack --reporters cli,junit,json,html --out reports$/m);
      });

      it('never names the opt-in publish, never echoes a secret, never hides a failure', () => {
        const text = read(t.file);
        expect(text).not.toMatch(/publish-death-notification|publishDeathNotification/i);
        expect(text).not.toMatch(/echo[^\n]*(SECRET|secrets\.)/i);
        expect(t.commands(parsed(t.file)).join('\n')).not.toMatch(/CLIENT_SECRET|secrets\./);
        expect(text).not.toMatch(/set -x|ACTIONS_STEP_DEBUG|\|\|\s*true|continue-on-error|allow_failure/);
      });
    });
  }

  it('GitHub: weekdays on a schedule and by hand, secrets mapped, reports uploaded even when the run fails, 20 minutes at most', () => {
    const doc = parsed('github-actions.yml');
    const on = doc['on'] as { schedule: { cron: string }[]; workflow_dispatch: unknown };
    expect(on.schedule[0]!.cron).toBe('17 6 * * 1-5');
    expect(on.workflow_dispatch).toBeDefined();
    expect(doc['permissions']).toEqual({ contents: 'read' });
    const steps = githubSteps(doc);
    const smoke = steps.find((s) => s.run?.includes('gdx-data-share smoke'))!;
    for (const name of ['DEV', 'DEMO', 'INTEGRATION']) {
      expect(smoke.env![`GDX_${name}_CLIENT_ID`]).toBe(`\${{ secrets.GDX_${name}_CLIENT_ID }}`);
      expect(smoke.env![`GDX_${name}_CLIENT_SECRET`]).toBe(`\${{ secrets.GDX_${name}_CLIENT_SECRET }}`);
    }
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with!['path']).toBe('reports/');
    for (const job of Object.values(doc['jobs'] as Record<string, Yaml>)) expect(job['timeout-minutes']).toBe(20);
  });

  it("GitLab: on a pipeline schedule and by hand, the JUnit file in GitLab's test report, the reports kept even when the run fails", () => {
    const job = parsed('gitlab-ci.yml')['gdx-smoke'] as { rules: { if: string }[]; timeout: string; artifacts: Yaml };
    expect(job.rules.map((r) => r.if)).toEqual(['$CI_PIPELINE_SOURCE == "schedule"', '$CI_PIPELINE_SOURCE == "web"']);
    expect(read('gitlab-ci.yml')).toContain('"17 6 * * 1-5"');
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['reports/'], reports: { junit: 'reports/junit.xml' } });
    expect(job.timeout).toBe('20 minutes');
  });

  it('Azure: weekdays on a schedule and by hand, secret variables mapped, PublishTestResults@2 and the reports even when the run fails', () => {
    const doc = parsed('azure-pipelines.yml');
    expect(doc['trigger']).toBe('none');
    expect((doc['schedules'] as { cron: string; always: boolean }[])[0]).toMatchObject({ cron: '17 6 * * 1-5', always: true });
    const steps = azureSteps(doc);
    const smoke = steps.find((s) => s.script?.includes('gdx-data-share smoke'))!;
    for (const name of ['DEV', 'DEMO', 'INTEGRATION']) {
      expect(smoke.env![`GDX_${name}_CLIENT_ID`]).toBe(`$(GDX_${name}_CLIENT_ID)`);
      expect(smoke.env![`GDX_${name}_CLIENT_SECRET`]).toBe(`$(GDX_${name}_CLIENT_SECRET)`);
    }
    const junit = steps.find((s) => s.task === 'PublishTestResults@2')!;
    expect(junit.condition).toBe('succeededOrFailed()');
    expect(junit.inputs).toMatchObject({ testResultsFormat: 'JUnit', testResultsFiles: 'reports/junit.xml' });
    expect(steps.find((s) => s.publish === 'reports')!.condition).toBe('succeededOrFailed()');
    expect((doc['jobs'] as Yaml[])[0]!['timeoutInMinutes']).toBe(20);
  });

  it("docs/ci/package.json pins this version and carries the package's overrides, which npm applies only at a project's root", () => {
    const tools = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; overrides: unknown };
    expect(tools.dependencies).toEqual({ [MANIFEST.name]: MANIFEST.version });
    expect(tools.overrides).toEqual(departmentOverrides());
  });

  it("this repository's own workflow runs .ci/run on push and pull request, and no smoke run on a schedule", () => {
    const ci = parseDocument(readFileSync(join(PROJECT_ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')).toJS() as Yaml;
    expect(Object.keys(ci['on'] as Yaml).sort()).toEqual(['pull_request', 'push']);
    expect(JSON.stringify(ci['jobs'])).toContain('bash .ci/run');
  });
});

const noRegistry = registryAbsent();
describe.skipIf(!!noRegistry && process.env['CI'] !== 'true')(
  `the templates' commands, run in an empty folder against the stand-in${noRegistry ? ` (skipped: ${noRegistry})` : ''}`,
  () => {
    const root = mkdtempSync(join(tmpdir(), 'gdx-ci-templates-'));
    // Undefined until beforeAll has started them (afterAll stops what did start).
    let registry: Registry | undefined;
    let standin: Standin | undefined;
    beforeAll(async () => {
      mkdirSync(join(root, 'checkout'));
      await cleanCheckout(join(root, 'checkout'));
      const { tarball } = await pack(join(root, 'checkout'), root);
      registry = await startRegistry(join(root, 'registry'), tarball);
      standin = await startStandin();
    }, 300_000);
    afterAll(async () => {
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

    for (const t of TEMPLATES) {
      it(`${t.file}: installs from the registry and runs green on demo (the stand-in), writing every report`, async () => {
        const dir = join(root, t.file);
        mkdirSync(join(dir, 'gdx-tools'), { recursive: true });
        // The set-up step every template names: the tools manifest, copied into the repository.
        copyFileSync(join(PROJECT_ROOT, 'docs', 'ci', 'package.json'), join(dir, 'gdx-tools', 'package.json'));
        const client = LOCAL_CLIENTS.publisherConsumer;
        const before = standin!.counters();
        const res = await runIn(dir, t, t.commands(parsed(t.file)).join('\n'), {
          ...t.env('demo', registry!.url),
          npm_config_cache: join(dir, 'npm-cache'),
          GDX_DEMO_CLIENT_ID: client.clientId,
          GDX_DEMO_CLIENT_SECRET: client.clientSecret,
          GDX_DEMO_TOKEN_URL: standin!.tokenUrl,
          GDX_DEMO_BASE_URL: standin!.baseUrl,
        });
        expect(res.code, res.output).toBe(0);
        expect(res.output).not.toContain(client.clientSecret);
        expect(standin!.counters().tokenRequestsTotal).toBeGreaterThan(before.tokenRequestsTotal);
        const junit = readFileSync(join(dir, 'reports', 'junit.xml'), 'utf8');
        expect(() => SyntaxValidator.validate(junit)).not.toThrow();
        expect(junit).toContain(`<property name="gdx-data-share-postman.version" value="${MANIFEST.version}"/>`);
        expect(readFileSync(join(dir, 'reports', 'report.html'), 'utf8')).toContain('</html>');
      }, 300_000);

      it(`${t.file}: without the variable naming the environments, stops with exit 2 and says which to set`, async () => {
        const dir = join(root, `${t.file}-unset`);
        mkdirSync(dir, { recursive: true });
        const script = t
          .commands(parsed(t.file))
          .join('\n')
          .replace(/^.*npm install.*$/m, 'true');
        const res = await runIn(dir, t, script, t.env('', registry!.url));
        expect(res.code).toBe(2);
        expect(res.output).toMatch(/^Set the (repository|CI\/CD|pipeline) variable GDX_ENVIRONMENTS to the environments you hold credentials for/m);
      });
    }
  },
);
