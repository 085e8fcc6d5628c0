/**
 * Which folder may import which: the architecture as rules, checked by `npm run boundaries` (part of
 * `npm test`). The contract is the one thing every side shares; each side keeps to itself otherwise.
 */
const CODE = '^(bin|lib|lambdas|contract|client|web|local|bench|test)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle means two modules are one job split badly: merge them or move the shared part out.',
      severity: 'error',
      from: { path: CODE },
      to: { circular: true },
    },
    {
      name: 'contract-stands-alone',
      comment: 'contract/ is shared by the service, the CLI and the browser: it depends on nothing of theirs.',
      severity: 'error',
      from: { path: '^contract/' },
      to: { path: '^(bin|lib|lambdas|client|web|local|bench|test)/' },
    },
    {
      name: 'clients-use-only-the-contract',
      comment: 'client/ talks to the service through the contract, never through its code.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(bin|lib|lambdas|web|local|bench|test)/' },
    },
    {
      name: 'web-uses-only-the-contract-and-the-shared-core',
      comment: 'web/ shares the platform-neutral transfer core with the CLI (client/src/core) and nothing else of it.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(bin|lib|lambdas|local|bench|test)/|^client/(?!src/core/)' },
    },
    {
      name: 'core-runs-in-browsers',
      comment: 'client/src/core runs in Node and in the browser: no Node built-ins, no native modules.',
      severity: 'error',
      from: { path: '^client/src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-stands-alone',
      comment: 'client/src/core is what web/ may import of the client: it reaches nothing of the CLI beyond itself and the contract.',
      severity: 'error',
      from: { path: '^client/src/core/' },
      to: { path: '^client/src/(?!core/)' },
    },
    {
      name: 'lambdas-are-the-service',
      comment: 'Handlers are deployed alone: they never reach into the CLI, the web app, the local runtime or the CDK app.',
      severity: 'error',
      from: { path: '^lambdas/' },
      to: { path: '^(bin|lib|client|web|local|bench|test)/' },
    },
    {
      name: 'domain-has-no-aws-sdk',
      comment: 'Domain rules stay testable without AWS: the SDK lives behind lambdas/repo.',
      severity: 'error',
      from: { path: '^lambdas/domain/' },
      to: { path: '@aws-sdk/|@smithy/' },
    },
    {
      name: 'stack-not-from-runtime',
      comment: 'The CDK app describes the service; the local runtime serves what it synthesizes, not the other way round.',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: { path: '^(client|web|local|bench|test)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(cdk\.out|\.tote-local)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
