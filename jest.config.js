// Suites: unit (no I/O), integration (real Kafka + PostgreSQL, in-process services), e2e (real
// service processes), browser (the console in Chromium against real processes), faults
// (`npm run test:faults`) and containers (the compose platform, `npm run test:containers` only).
// `npm test` (scripts/test.js) starts the infrastructure first.
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // content-disposition (via @fastify/static) ships ESM only; Node 20 requires it natively, jest does not.
  transform: { '^.+\\.ts$': swc, 'node_modules/content-disposition/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: { '^@cairn/(contracts|messaging|persistence|observability|auth|mail|runtime|testing)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['reflect-metadata'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.cache/'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services}/*/src/**/*.spec.ts', '<rootDir>/infra/*/test/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{libs,services,infra}/*/test/**/*.int-spec.ts'], slowTestThreshold: 30, setupFilesAfterEnv: ['<rootDir>/jest.setup.integration.js'] },
    // The fault suite (`npm run test:faults`, scripts/faults.js): the platform as processes with a broker of its own.
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/faults/**/*.fault-spec.ts'], slowTestThreshold: 600 },
    // Only through `npm run test:containers` (scripts/test-containers.sh builds the images and runs its own Docker daemon).
    { ...common, displayName: 'containers', testMatch: ['<rootDir>/infra/docker/test/**/*.ct-spec.ts'], setupFilesAfterEnv: ['<rootDir>/infra/docker/test/jest.setup.js'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'], slowTestThreshold: 60, setupFilesAfterEnv: ['<rootDir>/jest.setup.integration.js'] },
    // The console in a real Chromium against the real platform (scripts/test.js installs Debian's chromium when missing).
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/services/console/browser/**/*.browser-spec.ts'], slowTestThreshold: 120, setupFilesAfterEnv: ['<rootDir>/jest.setup.integration.js'] },
  ],
};
