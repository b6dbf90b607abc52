import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../src/config/paths.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { schedule?: { cron: string }[]; workflow_dispatch?: unknown };
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; 'timeout-minutes'?: number; steps: Step[] }>;
}

const text = readFileSync(join(PROJECT_ROOT, '.github', 'workflows', 'smoke.yml'), 'utf8');
const workflow = parse(text) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
const scripts = steps.map((s) => s.run ?? '').join('\n');

describe('.github/workflows/smoke.yml, the CI template', () => {
  it('runs on a schedule and by hand', () => {
    expect(workflow.on.schedule?.[0]?.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(workflow.on.workflow_dispatch).toBeDefined();
  });

  it('installs with npm ci and runs npm run smoke with every reporter, each option one the README documents', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(scripts).toMatch(/^npm ci$/m);
    const smoke = /npm run smoke -- (.*)$/m.exec(scripts)?.[1] ?? '';
    expect(smoke).toBe('--env "$GDX_ENV" $ack --reporters cli,junit,json,html --out reports');
    for (const option of ['--env', '--reporters cli,junit,json,html', '--out', '--no-acknowledge']) expect(readme, option).toContain(`\`${option}`);
  });

  it('takes credentials from repository secrets, into the variables the runner reads', () => {
    const env = steps.find((s) => s.run?.includes('npm run smoke'))!.env!;
    for (const name of ['DEV', 'DEMO', 'INTEGRATION']) {
      expect(env[`GDX_${name}_CLIENT_ID`]).toBe(`\${{ secrets.GDX_${name}_CLIENT_ID }}`);
      expect(env[`GDX_${name}_CLIENT_SECRET`]).toBe(`\${{ secrets.GDX_${name}_CLIENT_SECRET }}`);
    }
  });

  it('never publishes a death notification: a scheduled run on integration creates nothing', () => {
    expect(text).not.toMatch(/publish-death-notification|publishDeathNotification/i);
    expect(scripts).toMatch(/npm run smoke -- --env "\$GDX_ENV"/);
  });

  it('never echoes a secret and never puts one on a command line', () => {
    expect(text).not.toMatch(/echo[^\n]*(SECRET|secrets\.)/i);
    expect(scripts).not.toMatch(/secrets\./);
    expect(scripts).not.toMatch(/CLIENT_SECRET/);
    expect(text).not.toMatch(/set -x|ACTIONS_STEP_DEBUG/);
  });

  it('uploads the JUnit and HTML reports even when the run fails, and fails the job when the run fails', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(String(upload.with!['path'])).toBe('reports/');
    expect(scripts).toContain('--reporters cli,junit,json,html --out reports');
    // No "|| true", no continue-on-error: a failing smoke run fails the job.
    expect(text).not.toMatch(/\|\|\s*true|continue-on-error/);
  });

  it('schedules a run of the environments named in GDX_ENVIRONMENTS, each of which must have its secrets', async () => {
    const step = steps.find((s) => s.run?.includes('npm run smoke'))!;
    expect(step.env!['GDX_ENV']).toBe('${{ inputs.environment || vars.GDX_ENVIRONMENTS }}');
    // Without the variable the script stops with the fix, before any run.
    const { execFile } = await import('node:child_process');
    const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        'bash',
        ['-c', `set -eo pipefail\n${step.run!.replace(/npm run smoke.*/, 'echo RAN')}`],
        { env: { PATH: process.env['PATH'], GDX_ENV: '' } },
        (err, _out, stderr) => resolve({ code: err ? (child.exitCode ?? 1) : 0, stderr }),
      );
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('Set the repository variable GDX_ENVIRONMENTS');
  });

  it('keeps the token read-only and the job bounded in time', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    // A hung run must not hold a CI runner for the six-hour default: twenty minutes, written out.
    for (const job of Object.values(workflow.jobs)) expect(job['timeout-minutes']).toBe(20);
  });
});
