/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Transpile only: the whole project is type-checked once by test/typecheck.test.ts.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }],
  },
  moduleNameMapper: {
    '^batchplane$': '<rootDir>/lib/index.ts',
    '^batchplane/pulumi$': '<rootDir>/lib/pulumi/index.ts',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 120000,
};
