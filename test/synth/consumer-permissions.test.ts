import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONSUMER_ACTIONS } from '../../stacks/hub/consumer.ts';

/** The consumer function's code: the core, the destination adapters and the functions' wiring. */
const consumerDirs = ['core', 'destinations', 'lambdas'].map((dir) =>
  fileURLToPath(new URL(`../../${dir}`, import.meta.url)),
);

/** IAM service prefix of each SDK client the consumer uses (the Lambda runtime provides the SDK). */
const SERVICE_PREFIX: Record<string, string> = {
  'client-dynamodb': 'dynamodb',
  'client-sqs': 'sqs',
  'client-secrets-manager': 'secretsmanager',
};

/**
 * Code of the bundle that runs only as another function with a role of its own: the drift check (see
 * test/synth/drift.test.ts), and the triage function with its GuardDuty calls and the finding history
 * only it queries (see test/synth/triage.test.ts).
 */
const OTHER_FUNCTIONS = new Set(
  ['lambdas/drift', 'lambdas/triage', 'destinations/slack-app/triage/guardduty.ts', 'core/repeats/history.ts'].map(
    (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url)),
  ),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory())
      return OTHER_FUNCTIONS.has(join(dir, entry.name)) ? [] : sourceFiles(join(dir, entry.name));
    return entry.name.endsWith('.ts') && !OTHER_FUNCTIONS.has(join(dir, entry.name)) ? [join(dir, entry.name)] : [];
  });
}

/**
 * SQS's batch actions have no IAM action of their own: `sqs:SendMessage`, `sqs:DeleteMessage` and
 * `sqs:ChangeMessageVisibility` also grant `…Batch` (SQS Developer Guide, "Amazon SQS batch actions").
 */
const SQS_BATCH = /^(SendMessage|DeleteMessage|ChangeMessageVisibility)Batch$/;

/**
 * `dynamodb:UpdateItem` for every `UpdateItemCommand` named in the consumer, and so on: each name is
 * looked up in the SDK client packages. The consumer imports clients lazily, so this reads names.
 */
async function actionsCalledByConsumer(): Promise<Set<string>> {
  const clients = await Promise.all(
    Object.entries(SERVICE_PREFIX).map(async ([client, prefix]) => ({
      prefix,
      sdk: (await import(`@aws-sdk/${client}`)) as object,
    })),
  );
  const actions = new Set<string>();
  for (const file of consumerDirs.flatMap(sourceFiles)) {
    for (const [name, command] of readFileSync(file, 'utf8').matchAll(/\b([A-Z]\w+)Command\b/g)) {
      const owner = clients.find(({ sdk }) => name! in sdk);
      if (owner) actions.add(`${owner.prefix}:${owner.prefix === 'sqs' ? command!.replace(SQS_BATCH, '$1') : command}`);
    }
  }
  return actions;
}

describe('consumer permissions', () => {
  it('grant every AWS action the consumer code calls', async () => {
    const granted = new Set<string>(Object.values(CONSUMER_ACTIONS).flat());

    const called = await actionsCalledByConsumer();
    const missing = [...called].filter((action) => !granted.has(action));

    expect(called).toContain('sqs:ChangeMessageVisibility');
    expect(called).toContain('dynamodb:UpdateItem');
    expect(missing).toEqual([]);
  });
});
