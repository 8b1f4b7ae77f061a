import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import type { StatusReport } from '../../cli/commands/status/index.ts';
import { MOTO_ACCOUNT_ID } from '../support/aws.ts';
import { sendMessages } from '../support/cli-hub.ts';
import { arrangeWorld } from '../support/cli-world.ts';

// The installed command (`node bin/guardduty-hub.mjs`) in a child process, configured only through
// the standard AWS environment (AWS_ENDPOINT_URL pointing at the run's moto), as an operator runs it.
// It sends no account header, so moto answers as its default account, which other files may use too:
// the config's hub account is that one and its hub name is unique to this file.
// Everything is moto's here: GuardDuty ListMembers, which moto lacks, shows up as an error row.

const endpoint = inject('motoEndpoint');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** A child environment with nothing from the parent's AWS setup, and a HOME without ~/.aws. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: mkdtempSync(join(tmpdir(), 'guardduty-hub-home-')),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_CONFIG_FILE: '/nonexistent/config',
    ...extra,
  };
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/guardduty-hub.mjs', ...args], {
      cwd: ROOT,
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Queue names of their own in moto's shared default account. */
const HUB_NAME = `cli-bin-${process.pid}`;

const credentials = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };

describe('bin/guardduty-hub.mjs', () => {
  it('status --json reads moto through AWS_ENDPOINT_URL and prints one JSON report, exit 1 for the DLQ', async () => {
    const world = await arrangeWorld(endpoint, {
      accountId: MOTO_ACCOUNT_ID,
      detectorRegions: ['us-west-2'],
      config: { hub: { name: HUB_NAME }, regions: ['us-west-2'], accounts: { '222222222222': undefined } },
    });
    await sendMessages(world.aws().sqs, world.queues.hubUrl, ['{}', '{}']);
    await sendMessages(world.aws().sqs, world.queues.dlqUrl, ['{}']);

    const result = await cli(
      ['status', '--json', '--config', world.configPath],
      cleanEnv({ ...credentials, AWS_ENDPOINT_URL: endpoint }),
    );

    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as StatusReport;
    expect(report.queue).toMatchObject({ name: `${HUB_NAME}-findings`, visible: 2, inFlight: 0 });
    expect(report.dlq).toMatchObject({ visible: 1 });
    expect(report.attention).toEqual([
      `DLQ ${HUB_NAME}-findings-dlq holds 1 message: inspect with \`dlq peek --queue hub\`, send on with \`dlq redrive --queue hub\``,
      // No function was deployed: ListEventSourceMappings by its name is ResourceNotFoundException, as in Lambda.
      `consumer function ${HUB_NAME}-consumer not found`,
      'us-west-2: member 333333333333 (member2) is not a member, expected Enabled',
    ]);
    expect(result.stderr).toBe('guardduty-hub: 3 items need attention (see attention in the JSON report)\n');
  });

  it('exits 2 naming the fix when there are no AWS credentials at all', async () => {
    const world = await arrangeWorld(endpoint, {
      accountId: MOTO_ACCOUNT_ID,
      detectorRegions: [],
      withoutQueues: true,
    });

    const result = await cli(['status', '--config', world.configPath], cleanEnv({ AWS_ENDPOINT_URL: endpoint }));

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'guardduty-hub: no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY\n',
    );
  });

  it('exits 2 with a deploy hint when the hub queue does not exist', async () => {
    const world = await arrangeWorld(endpoint, {
      accountId: MOTO_ACCOUNT_ID,
      detectorRegions: [],
      withoutQueues: true,
      config: { hub: { name: 'not-deployed' } },
    });

    const result = await cli(
      ['dlq', 'peek', '--config', world.configPath],
      cleanEnv({ ...credentials, AWS_ENDPOINT_URL_SQS: endpoint }),
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `guardduty-hub: DLQ not-deployed-findings-dlq not found in us-west-2 account ${MOTO_ACCOUNT_ID}: has the hub stack been deployed (cdktf deploy hub)?\n`,
    );
  });

  it('prints help with examples and exits 0', async () => {
    const result = await cli(['secrets', 'set', '--help'], cleanEnv({}));

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: guardduty-hub secrets set [options] [destination]');
    expect(result.stdout).toContain('$ pbpaste | guardduty-hub secrets set team-a');
    expect(result.stdout).toContain('--signing-secret');
  });
});
