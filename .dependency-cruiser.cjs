/**
 * Imports flow one way (`npm run lint:imports`, part of `npm test`):
 *
 *   api, worker                       entry points (GraphQL/HTTP; the worker process)
 *     └─ activities                   the worker's side effects
 *          └─ services                Temporal clients shared by the API and the worker
 *               └─ workflows          workflow code and the messages clients send it
 *                    └─ domain, risk, tokens, audit, discovery, vault
 *                         └─ temporal, config, observability   plumbing
 *
 * console/ (the approvers' web app, bundled for browsers) stands apart: it imports only itself and npm packages.
 *
 * scripts/, bench/, demo/ and test/ sit on top and may use anything; launcher/ (bringing a deployment up as
 * processes, for them) uses only the plumbing. Every import of a project module must
 * match one `allowed` rule; type-only imports count too, with one exception the Temporal SDK prescribes:
 * workflows import the *types* of their activities (proxyActivities<typeof activities>), nothing else.
 */
const LIBRARIES = ['domain', 'risk', 'tokens', 'audit', 'discovery', 'vault'];
const PLUMBING = ['temporal', 'config', 'observability'];

/** `from` may import its own folder and the folders named. */
const may = (from, ...to) => ({
  from: { path: `^${from}/` },
  to: { path: `^(${[from, ...to].join('|')})/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycles',
      severity: 'error',
      comment: 'No module imports itself at run time, however indirectly.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'workflows-are-deterministic',
      severity: 'error',
      comment: "Workflow code runs in the SDK's sandbox and replays: no Node built-ins (I/O, clocks, randomness).",
      from: { path: '^workflows/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pure-libraries',
      severity: 'error',
      comment: 'domain/ and risk/ are pure (workflow code uses them): no Node built-ins.',
      from: { path: '^(domain|risk)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'workflows-import-only-types-of-activities',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-dev-dependencies-in-product',
      severity: 'error',
      comment: 'What `npm start` runs needs only `dependencies`.',
      from: { pathNot: '^(test|bench|scripts|demo)/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  allowed: [
    // Packages and Node built-ins (narrowed by the forbidden rules above).
    { from: {}, to: { dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'core'] } },
    { from: { path: '^(test|bench|scripts|demo)/' }, to: {} },
    may('launcher', 'vault', ...PLUMBING),
    // cluster/ (Warden on a real Temporal cluster on this machine) brings its processes up through the launcher.
    may('cluster', 'launcher', 'vault', ...PLUMBING),
    // The approvers' console runs in browsers: its own modules and npm packages only (it talks to the API over HTTP).
    may('console'),
    may('api', 'services', 'workflows', ...LIBRARIES, ...PLUMBING),
    may('worker', 'activities', 'services', 'workflows', ...LIBRARIES, ...PLUMBING),
    may('activities', 'services', 'workflows', ...LIBRARIES, ...PLUMBING),
    may('services', 'workflows', ...LIBRARIES, ...PLUMBING),
    may('workflows', 'domain', 'risk', 'tokens', 'audit', 'discovery', 'temporal'),
    { from: { path: '^workflows/' }, to: { path: '^activities/', dependencyTypes: ['type-only'] } },
    may('tokens', 'domain', 'audit', 'vault'),
    may('audit', 'domain', 'config'),
    may('discovery', 'domain'),
    may('risk', 'domain'),
    may('vault', ...PLUMBING),
    may('domain'),
    may('temporal', 'config'),
    may('config'),
    may('observability', 'temporal', 'config'),
  ],
  allowedSeverity: 'error',
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.warden|dist|test-results)/' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
