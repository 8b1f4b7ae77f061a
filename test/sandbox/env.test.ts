import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sandboxEnvironment, shellExports, writeSandboxConfig } from '../../devkit/sandbox/env.ts';
import { clickingUser } from '../../devkit/sandbox/click-target.ts';
import { SANDBOX_TRIAGE_USER, sandboxUserGroups } from '../../devkit/sandbox/slack.ts';
import type { SandboxState } from '../../devkit/sandbox/state.ts';
import { loadConfig } from '../../shared/index.ts';

// The parts of the sandbox that need no local AWS: the exports of `sandbox env`, the sandbox's copy of
// the config, and who clicks when triage.allow names only user groups.

const EXAMPLE = fileURLToPath(new URL('../../examples/sandbox.yml', import.meta.url));
const state = (dir: string): SandboxState => ({
  endpoint: 'http://127.0.0.1:4566',
  account: '111111111111',
  region: 'us-west-2',
  configPath: join(dir, 'given.yml'),
  credentials: { '111111111111': { accessKeyId: 'LKIA0000', secretAccessKey: "it's secret" } },
  slack: { url: 'http://127.0.0.1:1', apiUrl: 'http://127.0.0.1:1/api', pid: 0, webhooks: {}, channels: {} },
  pagerDuty: { url: 'http://127.0.0.1:2/v2/enqueue', destinations: [] },
  teams: { url: 'http://127.0.0.1:3', destinations: [] },
  stacks: [],
});

describe('sandbox env', () => {
  it("prints exports a POSIX shell evaluates to the sandbox's endpoint, hub keys, region and config", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdh-env-'));
    writeSandboxConfig(dir, EXAMPLE);

    const text = shellExports(sandboxEnvironment(dir, state(dir)));
    const seen = execFileSync(
      'sh',
      [
        '-c',
        `${text}\necho "$AWS_ENDPOINT_URL|$AWS_REGION|$AWS_ACCESS_KEY_ID|$AWS_SECRET_ACCESS_KEY|$HUB_CONFIG|\${AWS_PROFILE-unset}"`,
      ],
      { env: { PATH: process.env.PATH, AWS_PROFILE: 'prod' } },
    ).toString();

    expect(seen.trim()).toBe(`http://127.0.0.1:4566|us-west-2|LKIA0000|it's secret|${join(dir, 'hub.yml')}|unset`);
  });

  it("writes the sandbox's copy of the config: the same, with the simulator's loopback host allowed for webhooks", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdh-env-'));
    writeFileSync(
      join(dir, 'given.yml'),
      readFileSync(EXAMPLE, 'utf8').replace(
        'triage:',
        'delivery: { allowedWebhookHosts: [hooks.example.com] }\ntriage:',
      ),
    );

    const copy = loadConfig(writeSandboxConfig(dir, join(dir, 'given.yml')));

    expect(copy.delivery.allowedWebhookHosts).toEqual(['hooks.example.com', '127.0.0.1']);
    expect({ ...copy, delivery: undefined }).toEqual({ ...loadConfig(join(dir, 'given.yml')), delivery: undefined });
  });
});

describe('sandbox click: the clicking user', () => {
  const config = loadConfig(EXAMPLE);

  it("is the member the sandbox's Slack gives every group, when the action lists only groups", () => {
    expect(sandboxUserGroups(config)).toEqual({ S0SECOPS01: [SANDBOX_TRIAGE_USER] });
    expect(clickingUser(config, 'archive', undefined)).toBe(SANDBOX_TRIAGE_USER);
  });

  it('is the first user id listed, or --user', () => {
    expect(clickingUser(config, 'suppress', undefined)).toBe('U0123ABCD9');
    expect(clickingUser(config, 'archive', 'U0STRANGER')).toBe('U0STRANGER');
  });
});
