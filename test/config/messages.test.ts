import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../shared/index.ts';
import { problemsOf, withChange, type Doc } from './problems.ts';

/** Texts zod writes when a schema gives no message of its own ("Too big: expected number to be <=100"). */
const ZOD_DEFAULT =
  /Invalid input|Invalid (?:string|option|element|key|value)|Too (?:big|small)|expected .* (?:received|to be|to have)|Unrecognized key/i;

/** Every `section.key` of the defaulted config whose value is a number: the keys a user can get out of range. */
function numericKeys(): [section: string, key: string][] {
  const config = loadConfig(EXAMPLE_CONFIG_PATH) as unknown as Record<string, unknown>;
  return Object.entries(config).flatMap(([section, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value)
          .filter(([, v]) => typeof v === 'number')
          .map(([key]): [string, string] => [section, key])
      : [],
  );
}

describe('config messages in the project voice', () => {
  const keys = numericKeys();

  it('finds the numeric keys from the example config (the probe is not empty)', () => {
    expect(keys.map(([section, key]) => `${section}.${key}`)).toEqual(
      expect.arrayContaining([
        'delivery.messagesPerSecond',
        'delivery.batchSize',
        'queue.maxReceiveCount',
        'repeats.renotifyAfterHours',
        'alarms.queueDepth',
      ]),
    );
  });

  it.each(keys)('%s.%s out of range or of the wrong type gets no zod default text', (section, key) => {
    const messages = [-1, 0, 0.5, 1e12, 'many', true, null, [1]].flatMap((value) =>
      problemsOf(withChange((d) => (d[section] = { ...d[section], [key]: value }))),
    );

    expect(messages.length).toBeGreaterThan(0);
    expect(messages.filter((message) => ZOD_DEFAULT.test(message))).toEqual([]);
    expect(messages.filter((message) => !/: (must|is) /.test(message))).toEqual([]);
  });

  it('gives no zod default text for wrong types and lengths anywhere else', () => {
    const changes: ((d: Doc) => void)[] = [
      (d) => (d.hub = 'x'),
      (d) => (d.hub.name = 5),
      (d) => (d.guardduty = { invitationMessage: 'x'.repeat(1001) }),
      (d) => (d.repeats = { enabled: 'yes', countMilestones: 5 }),
      (d) => (d.suppress = [{ type: '', accounts: [], regions: [] }, 'x']),
      (d) => (d.state = { bucket: 'a', keyPrefix: 5 }),
      (d) => (d.accounts = [1]),
      (d) => (d.accounts['222222222222'] = { name: 'x'.repeat(65), destination: 5, regions: 'us-east-1' }),
      (d) => (d.destinations.security = 'x'),
      (d) => (d.defaults = { destination: 5 }),
    ];

    const messages = changes.flatMap((change) => problemsOf(withChange(change)));

    expect(messages.filter((message) => ZOD_DEFAULT.test(message))).toEqual([]);
  });

  it('says what is wrong in words, exactly', () => {
    expect(problemsOf(withChange((d) => (d.delivery = { messagesPerSecond: 500 })))).toEqual([
      'delivery.messagesPerSecond: must be at most 100',
    ]);
    expect(problemsOf(withChange((d) => (d.repeats = { renotifyAfterHours: 'daily' })))).toEqual([
      'repeats.renotifyAfterHours: must be a number',
    ]);
    expect(problemsOf(withChange((d) => (d.repeats = { enabled: 'yes' })))).toEqual([
      'repeats.enabled: must be true or false',
    ]);
    expect(problemsOf(withChange((d) => (d.guardduty = { invitationMessage: 'x'.repeat(1001) })))).toEqual([
      'guardduty.invitationMessage: must be at most 1000 characters long',
    ]);
    expect(problemsOf(withChange((d) => (d.suppress = [{ type: '' }])))).toEqual([
      'suppress[0].type: must not be empty',
    ]);
    expect(problemsOf(withChange((d) => (d.suppress = [{ regions: [] }])))).toEqual([
      'suppress[0].regions: must list at least one item, or be left out',
    ]);
    expect(problemsOf(withChange((d) => (d.state = { bucket: 'ab' })))).toEqual([
      'state.bucket: must be at least 3 characters long',
    ]);
    expect(problemsOf(withChange((d) => (d.accounts = ['222222222222'])))).toEqual([
      'accounts: must be a mapping of keys',
    ]);
    expect(problemsOf(withChange((d) => (d.accounts['222222222222'].name = 'x'.repeat(65))))).toEqual([
      'accounts.222222222222.name: must be at most 64 characters long',
    ]);
    expect(problemsOf(withChange((d) => (d.defaults.destination = 5)))).toEqual([
      'defaults.destination: must be the name of a destination under destinations',
    ]);
  });

  it('bounds queue.maxReceiveCount by the SQS redrive maximum of 1000 (and answers at once for a huge one)', () => {
    const started = performance.now();

    const problems = problemsOf(withChange((d) => (d.queue = { maxReceiveCount: 1e12 })));

    expect(problems).toEqual(['queue.maxReceiveCount: must be at most 1000 (the most an SQS redrive policy allows)']);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(
      problemsOf(withChange((d) => (d.queue = { maxReceiveCount: 1000, retentionDays: 13, redeliveryMaxSeconds: 60 }))),
    ).toEqual([]);
  });
});

describe('problems of an accounts entry', () => {
  const KEY = 'accounts.12345: must be a 12-digit AWS account id; write it in quotes so that leading zeros are kept';

  it('reports an invalid account id and an unknown destination both', () => {
    const problems = problemsOf(
      withChange((d) => (d.accounts = { '12345': { name: 'short', email: 'a@example.com', destination: 'nope' } })),
    );

    expect(problems).toEqual([
      KEY,
      'accounts.12345.destination: names destination "nope", which is not under destinations (known: security, team-a)',
    ]);
  });

  it('reports an invalid account id and a missing name both', () => {
    const problems = problemsOf(withChange((d) => (d.accounts = { '12345': { email: 'a@example.com' } })));

    expect(problems).toEqual([KEY, 'accounts.12345.name: is required: the name shown in Slack']);
  });

  it('still checks the other entries when one entry is broken', () => {
    const problems = problemsOf(
      withChange((d) => {
        d.accounts['333333333333'] = { email: 'b@example.com' };
        d.accounts['222222222222'].destination = 'nope';
      }),
    );

    expect(problems).toEqual([
      'accounts.333333333333.name: is required: the name shown in Slack',
      'accounts.222222222222.destination: names destination "nope", which is not under destinations (known: security, team-a)',
    ]);
  });
});
