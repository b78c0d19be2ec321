import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'functions/*/src/**/*.test.ts',
      'infra/**/*.test.ts',
      'test/**/*.test.ts',
      // The console's own tests; those that need a DOM say so with `@vitest-environment happy-dom`.
      'web/src/**/*.test.{ts,tsx}',
    ],
    // One DynamoDB Local for the whole run; each test file makes its own table in it.
    globalSetup: ['test/support/dynamo.global.ts'],
    setupFiles: ['web/src/test-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
