import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONSUMER_ACTIONS } from '../../stacks/hub/consumer.ts';

const consumerDir = fileURLToPath(new URL('../../consumer', import.meta.url));

/** IAM service prefix of each SDK client the consumer may use. */
const SERVICE_PREFIX: Record<string, string> = {
  'client-dynamodb': 'dynamodb',
  'client-sqs': 'sqs',
  'client-secrets-manager': 'secretsmanager',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** `dynamodb:UpdateItem` for every `UpdateItemCommand` imported from `@aws-sdk/client-dynamodb`, and so on. */
function actionsCalledByConsumer(): Set<string> {
  const actions = new Set<string>();
  const importPattern = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z-]+)'/g;
  for (const file of sourceFiles(consumerDir)) {
    for (const [, names, client] of readFileSync(file, 'utf8').matchAll(importPattern)) {
      for (const name of names!.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        const command = /^(\w+)Command$/.exec(name);
        if (!command) continue;
        const prefix = SERVICE_PREFIX[client!];
        if (!prefix) throw new Error(`${file} uses ${client}, which the consumer role grants nothing for`);
        actions.add(`${prefix}:${command[1]}`);
      }
    }
  }
  return actions;
}

describe('consumer permissions', () => {
  it('grant every AWS action the consumer code calls', () => {
    const granted = new Set<string>(Object.values(CONSUMER_ACTIONS).flat());

    const missing = [...actionsCalledByConsumer()].filter((action) => !granted.has(action));

    expect(missing).toEqual([]);
  });
});
