// The house's directions (docs/maintainers.md draws the map): which room of src/ may import
// which. `npm run lint` runs it; test/unit/house/directions.test.ts shows that a forbidden
// import fails it. Type-only imports count: a type shared by two modules lives in a module that
// both import, so that no circle hides behind `import type`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circle', severity: 'error', comment: 'No import circle, type imports included.', from: {}, to: { circular: true } },
    {
      name: 'commands-only-from-cli',
      severity: 'error',
      comment: 'src/commands/ is what the command line says: only src/cli.ts (and the commands themselves) import it.',
      from: { path: '^src/', pathNot: '^src/(cli\\.ts|commands/)' },
      to: { path: '^src/commands/' },
    },
    {
      name: 'yargs-only-at-the-edge',
      severity: 'error',
      comment: 'Only src/cli.ts and src/commands/ know yargs.',
      from: { path: '^src/', pathNot: '^src/(cli\\.ts|commands/)' },
      to: { path: 'node_modules/yargs/' },
    },
    {
      name: 'newman-behind-one-module',
      severity: 'error',
      comment: 'Newman stays behind src/run/newman.ts.',
      from: { path: '^src/', pathNot: '^src/run/newman\\.ts$' },
      to: { path: 'node_modules/(newman|postman-runtime)/' },
    },
    {
      name: 'report-reads-no-engine',
      severity: 'error',
      comment: 'src/report/ renders the model; it never imports the engine, the doctor or the commands.',
      from: { path: '^src/report/' },
      to: { path: '^src/(run|commands|doctor|standin)/' },
    },
    {
      name: 'standin-stands-alone',
      severity: 'error',
      comment: 'The stand-in plays the real services: it never imports the runner, its reports, the doctor or the commands.',
      from: { path: '^src/standin/' },
      to: { path: '^src/(run|report|doctor|commands|generate|token)/' },
    },
    {
      name: 'sandbox-imports-nothing',
      severity: 'error',
      comment: "The sandbox scripts run inside Postman, Newman and Bruno: they import nothing but what Postman's sandbox itself provides.",
      from: { path: '^src/sandbox/' },
      to: { pathNot: '^(crypto-js|atob|btoa)$' },
    },
    {
      name: 'generate-is-the-generator',
      severity: 'error',
      comment: 'The generator reads the catalogue, the schemas and the scripts; it never imports a run, a report, the stand-in or the doctor.',
      from: { path: '^src/generate/' },
      to: { path: '^src/(run|report|standin|doctor|commands|token)/' },
    },
    {
      name: 'export-copies-files',
      severity: 'error',
      comment: 'export copies the shipped files by their names: it never imports a run, a report, the stand-in, the doctor or the writers.',
      from: { path: '^src/export/' },
      to: { path: '^src/(run|report|standin|doctor|commands|token|sandbox)/|^src/generate/(?!names\\.ts$)' },
    },
    {
      name: 'transport-is-the-bottom',
      severity: 'error',
      comment: 'HTTP, TLS, proxies and the clock: used by every room, importing none of them.',
      from: { path: '^src/transport/' },
      to: { path: '^src/', pathNot: '^src/(transport/|errors\\.ts$)' },
    },
    {
      name: 'config-is-read-first',
      severity: 'error',
      comment: 'What a run is pointed at: read before anything runs, importing no room that runs.',
      from: { path: '^src/config/' },
      to: { path: '^src/(run|report|doctor|commands|standin|generate|token|export)/' },
    },
    {
      name: 'work-is-not-the-command-line',
      severity: 'error',
      comment: 'The engine, the doctor and the token request never import a command: commands call them.',
      from: { path: '^src/(run|doctor|token)/' },
      to: { path: '^src/commands/' },
    },
    {
      name: 'engine-needs-no-doctor',
      severity: 'error',
      comment: 'The doctor uses the engine and the token request, never the other way round.',
      from: { path: '^src/(run|token)/' },
      to: { path: '^src/doctor/' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
