/** One config, three projects: fast unit tests, CDK template assertions, and integration tests over HTTP. */
// babel-jest (pure JavaScript) rather than swc: the npm mirror our machines use lacks some of swc's
// other-platform binaries, and a lockfile naming them breaks `npm ci` on a fresh clone.
const babel = [
  'babel-jest',
  {
    babelrc: false,
    configFile: false,
    presets: [['@babel/preset-env', { targets: { node: 'current' } }], ['@babel/preset-typescript', { allowDeclareFields: true }]],
  },
];
/** The path aliases are declared once, in tsconfig.json; jest gets the same ones from there. */
function aliasesFromTsconfig() {
  const { paths } = require('./tsconfig.json').compilerOptions;
  return Object.fromEntries(
    Object.entries(paths).map(([alias, [target]]) => [`^${alias.replace('*', '(.*)')}$`, `<rootDir>/${target.replace('*', '$1')}`]),
  );
}
const shared = {
  transform: { '^.+\\.(t|j|mj)s$': babel },
  // middy and a few AWS helpers ship ESM only; let babel turn them into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|p-limit|yocto-queue|@silverbucket|ajv-ftl-i18n|fluent-transpiler)/)'],
  moduleNameMapper: aliasesFromTsconfig(),
  testEnvironment: 'node',
  // The client package staged by `npm run build:client` (its package.json would clash with ours).
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...shared, displayName: 'cdk', testMatch: ['<rootDir>/test/cdk/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      // One local runtime for the whole run (or TOTE_API_URL's deployment): test/integration/README.md.
      globalSetup: '<rootDir>/test/integration/harness/global-setup.cjs',
      globalTeardown: '<rootDir>/test/integration/harness/global-teardown.ts',
    },
  ],
};
