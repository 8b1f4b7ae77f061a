import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // CI must fail on a forgotten `.only`.
    allowOnly: !process.env.CI,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { CHECKPOINT_DISABLE: '1' },
    // One moto server (AWS APIs on loopback) for the whole run; installs moto into .cache on first use.
    globalSetup: ['test/support/global-setup.ts'],
  },
});
