import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships .mjs and .js twins; Node (and every dependency) loads the CommonJS one, so the
  // tests must too, or schema types from "two realms" collide.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The leftovers list (test/utils/leftovers.ts): what a test opened is disposed after it, whatever it did.
    setupFiles: ['test/utils/setup.ts'],
  },
});
