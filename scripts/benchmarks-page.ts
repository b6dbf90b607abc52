// docs/benchmarks.md, written by `npm run bench -- --write` from the figures of that run: the date,
// the machine, each figure beside its target, and a missed target marked as such; then the page's
// record of earlier runs and of what was tried, kept as it was (it is written by hand, and is the
// one home of every measured figure besides this run's). Pure.

export interface BenchFigure {
  section: string;
  what: string;
  figure: string;
  target: string;
  /** null: a figure with no target (a baseline, a time shown for the record). */
  met: boolean | null;
}

export interface Machine {
  date: Date;
  cores: number;
  cpu: string;
  node: string;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The heading of the part a new run keeps: earlier runs, and what was tried and not kept. */
export const EARLIER_RUNS = '## Earlier runs, and what was tried';

/** The part of `page` (the page as it was) from EARLIER_RUNS on, or '' when it has none. */
export function earlierRuns(page: string): string {
  const at = page.indexOf(`\n${EARLIER_RUNS}\n`);
  return at < 0 ? '' : page.slice(at + 1);
}

export function benchmarksPage(figures: readonly BenchFigure[], machine: Machine, earlier = ''): string {
  const missed = figures.filter((f) => f.met === false);
  const sections = [...new Set(figures.map((f) => f.section))];
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench -- --write\` on ${machine.date.toISOString().slice(0, 10)}, on a machine with ${machine.cores} cores (${cell(machine.cpu.trim())}) and Node.js ${machine.node}. Every figure is a ratio against a baseline measured in the same run, on 127.0.0.1 only: the machines these run on are noisy, and only the ratios compare from one run to the next.`,
    '',
    missed.length
      ? `**${missed.length} ${missed.length === 1 ? 'target was' : 'targets were'} not met in this run**: ${missed.map((f) => f.what).join('; ')}.`
      : 'Every target was met in this run.',
    '',
  ];
  for (const section of sections) {
    lines.push(`## ${section.charAt(0).toUpperCase()}${section.slice(1)}`, '', '| what | figure | target | met |', '| --- | --- | --- | --- |');
    for (const f of figures.filter((x) => x.section === section)) {
      lines.push(`| ${cell(f.what)} | ${cell(f.figure)} | ${cell(f.target)} | ${f.met === null ? '' : f.met ? 'yes' : '**not met**'} |`);
    }
    lines.push('');
  }
  const page = `${lines.join('\n').trimEnd()}\n`;
  return earlier ? `${page}\n${earlier.trimEnd()}\n` : page;
}
