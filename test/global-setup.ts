import { execFileSync } from 'node:child_process';

// Tests that spawn the CLI run the compiled dist/ as users do; build it once, before any of them.
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
}
