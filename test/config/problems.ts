import { expect } from 'vitest';
import { ConfigError, validateConfig } from '../../shared/index.ts';

/** A config document being edited in a test: any shape, as YAML may hold. */
// biome-ignore lint/suspicious/noExplicitAny: tests write wrong shapes on purpose, and edit documents by any path.
export type Doc = Record<string, any>;

/** A minimal valid document; each test changes one thing. */
export function baseDoc(): Doc {
  return {
    hub: { account: '111111111111', region: 'us-west-2' },
    regions: ['us-east-1', 'us-west-2'],
    defaults: { destination: 'security' },
    accounts: {
      '222222222222': { name: 'member1', email: 'aws+m1@example.com', destination: 'team-a', minSeverity: 'low' },
    },
    destinations: {
      security: { webhookSecret: 'guardduty-hub/slack/security' },
      'team-a': { webhookSecret: 'guardduty-hub/slack/team-a' },
    },
  };
}

/** The problems a document has, as `path: message` lines. */
export function problemsOf(doc: unknown): string[] {
  try {
    validateConfig(doc, 'test.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  }
  return [];
}

export function withChange(change: (doc: Doc) => void): Doc {
  const doc = baseDoc();
  change(doc);
  return doc;
}
