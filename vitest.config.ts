import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // CI must fail on a forgotten `.only`.
    allowOnly: !process.env.CI,
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine, and the suite ran
    // file after file (14 min). Most long files wait on Terraform and moto, so two workers halve it.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: {
      CHECKPOINT_DISABLE: '1',
      // Nothing in a test may leave loopback: an SDK client without an explicit endpoint goes to a
      // closed local port, and the credential chain never asks the instance metadata service.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1',
    },
    // One moto server (AWS APIs on loopback) for the whole run; installs moto into .cache on first use.
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
