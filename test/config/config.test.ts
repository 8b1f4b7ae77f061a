import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  EXAMPLE_CONFIG_PATH,
  TOKEN_IN_CONFIG,
  WEBHOOK_IN_CONFIG,
  configPathFromEnv,
  loadConfig,
  lowestThreshold,
  membersInRegion,
  parseConfig,
  routeFor,
  validateConfig,
} from '../../shared/index.ts';
import { baseDoc, problemsOf, withChange } from './problems.ts';

describe('loading the config', () => {
  it('loads the example config with every default filled in', () => {
    const config = loadConfig(EXAMPLE_CONFIG_PATH);

    expect(config.hub).toEqual({ account: '111111111111', region: 'us-west-2', name: 'guardduty-hub' });
    expect(config.delivery).toEqual({
      batchSize: 100,
      maxBatchingWindowSeconds: 5,
      maxConcurrency: 2,
      messagesPerSecond: 1,
      burst: 3,
      digestThreshold: 5,
      stormWindowMinutes: 60,
      maxFindingsPerMessage: 20,
      allowedWebhookHosts: [],
    });
    expect(config.repeats).toEqual({
      enabled: true,
      renotifyAfterHours: 24,
      crossRegionWindowMinutes: 60,
      countMilestones: [10, 100, 1000, 10_000, 100_000],
    });
    expect(config.state).toBeUndefined();
  });

  it('fills defaults for a minimal document', () => {
    const config = validateConfig(baseDoc());

    expect(config.guardduty.mode).toBe('invitation');
    expect(config.guardduty.findingPublishingFrequency).toBe('FIFTEEN_MINUTES');
    expect(config.defaults.minSeverity).toBe('medium');
    expect(config.colors).toEqual({ low: '#7CD197', medium: '#F2C744', high: '#E8743B', critical: '#B8122B' });
    expect(config.queue).toEqual({
      visibilityTimeoutSeconds: 360,
      maxReceiveCount: 20,
      redeliveryBaseSeconds: 30,
      redeliveryMaxSeconds: 1800,
      retentionDays: 4,
      dlqRetentionDays: 14,
    });
    expect(config.consumer).toEqual({ timeoutSeconds: 60, memoryMb: 256, logRetentionDays: 30 });
    expect(config.suppress).toEqual([]);
  });

  it('uses HUB_CONFIG when it is set, else the example', () => {
    expect(configPathFromEnv({ HUB_CONFIG: '/tmp/x.yml' })).toBe('/tmp/x.yml');
    expect(configPathFromEnv({})).toBe(EXAMPLE_CONFIG_PATH);
    expect(configPathFromEnv({ HUB_CONFIG: '  ' })).toBe(EXAMPLE_CONFIG_PATH);
  });

  it('reads a YAML file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-config-'));
    const path = join(dir, 'hub.yml');
    writeFileSync(path, stringify(baseDoc()));

    expect(loadConfig(path).accounts['222222222222']?.name).toBe('member1');
  });

  it('names a missing file', () => {
    expect(() => loadConfig('/nonexistent/hub.yml')).toThrow(
      'Invalid config /nonexistent/hub.yml (1 problem):\n  - cannot read the file: no such file',
    );
  });

  it('names a folder given as the config file, and what to give instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-config-folder-'));

    expect(() => loadConfig(dir)).toThrow(
      `Invalid config ${dir} (1 problem):\n  - cannot read the file: it is a folder: name the YAML file itself (for example hub.yml in it)`,
    );
  });

  it('still reports the other problems of an accounts entry whose id is invalid and whose email is broken', () => {
    const doc = withChange((d) => {
      d.accounts = { '31098765432': { name: 'short', email: 'not-an-email', destination: 'nowhere' } };
    });

    expect(problemsOf(doc)).toEqual([
      'accounts.31098765432: must be a 12-digit AWS account id; write it in quotes so that leading zeros are kept',
      'accounts.31098765432.email: must be an email address',
      'accounts.31098765432.destination: names destination "nowhere", which is not under destinations (known: security, team-a)',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => parseConfig('hub: [unclosed\n', 'bad.yml')).toThrow(
      /^Invalid config bad\.yml \(1 problem\):\n {2}- not valid YAML at line \d+, column \d+/,
    );
  });

  it('refuses an empty file', () => {
    expect(() => parseConfig('', 'empty.yml')).toThrow('the file is empty; start from config/example.yml');
  });

  it('lists every problem at once, each with its key path', () => {
    const doc = withChange((d) => {
      d.hub.account = '123';
      d.delivery = { maxConcurrency: 1 };
      d.colors = { low: 'green' };
    });

    expect(() => validateConfig(doc, 'multi.yml')).toThrow(
      [
        'Invalid config multi.yml (3 problems):',
        '  - hub.account: must be a 12-digit AWS account id',
        '  - colors.low: must be a hex colour such as "#E8743B"',
        "  - delivery.maxConcurrency: must be from 2 to 1000 (the SQS event source mapping's maximum concurrency), not 1",
      ].join('\n'),
    );
  });
});

describe('config rules', () => {
  it('account ids are 12 digits', () => {
    expect(problemsOf(withChange((d) => (d.hub.account = '12345678901')))).toEqual([
      'hub.account: must be a 12-digit AWS account id',
    ]);
    expect(problemsOf(withChange((d) => (d.hub.account = 111111111111)))).toEqual([
      'hub.account: must be a 12-digit AWS account id in quotes',
    ]);
    expect(problemsOf(withChange((d) => (d.accounts['12345'] = { name: 'short', email: 'a@example.com' })))).toEqual([
      'accounts.12345: must be a 12-digit AWS account id; write it in quotes so that leading zeros are kept',
    ]);
    expect(problemsOf(withChange((d) => (d.suppress = [{ accounts: ['abc'] }])))).toEqual([
      'suppress[0].accounts[0]: must be a 12-digit AWS account id',
    ]);
  });

  it('regions are real AWS region names', () => {
    expect(problemsOf(withChange((d) => d.regions.push('us-central-9')))).toEqual([
      'regions[2]: us-central-9 is not an AWS region name (for example us-east-1, eu-north-1)',
    ]);
    expect(problemsOf(withChange((d) => (d.hub.region = 'mars-1')))).toEqual([
      'hub.region: mars-1 is not an AWS region name (for example us-east-1, eu-north-1)',
    ]);
  });

  it('a region is listed once', () => {
    expect(problemsOf(withChange((d) => d.regions.push('us-east-1')))).toEqual([
      'regions[2]: us-east-1 is listed twice',
    ]);
  });

  it('regions share the hub region partition', () => {
    expect(problemsOf(withChange((d) => d.regions.push('cn-north-1')))).toEqual([
      'regions[2]: cn-north-1 is in partition aws-cn, but the hub region us-west-2 is in aws; one hub serves one partition',
    ]);
  });

  it('the hub region is in regions', () => {
    expect(problemsOf(withChange((d) => (d.regions = ['us-east-1'])))).toEqual([
      'hub.region: us-west-2 must also be listed in regions',
    ]);
  });

  it("an account's regions are a subset of regions", () => {
    expect(problemsOf(withChange((d) => (d.accounts['222222222222'].regions = ['eu-west-1'])))).toEqual([
      "accounts.222222222222.regions[0]: eu-west-1 is not in regions; an account's regions must be a subset of regions",
    ]);
  });

  it('every destination named by defaults or an account exists', () => {
    expect(problemsOf(withChange((d) => (d.defaults.destination = 'nowhere')))).toEqual([
      'defaults.destination: names destination "nowhere", which is not under destinations (known: security, team-a)',
    ]);
    expect(problemsOf(withChange((d) => (d.accounts['222222222222'].destination = 'team-b')))).toEqual([
      'accounts.222222222222.destination: names destination "team-b", which is not under destinations (known: security, team-a)',
    ]);
  });

  it('batchSize above 10 needs a batching window of at least 1 s', () => {
    expect(problemsOf(withChange((d) => (d.delivery = { batchSize: 11, maxBatchingWindowSeconds: 0 })))).toEqual([
      'delivery.maxBatchingWindowSeconds: must be at least 1 when delivery.batchSize is above 10 (it is 11); SQS requires a batching window for batches over 10',
    ]);
    expect(problemsOf(withChange((d) => (d.delivery = { batchSize: 10, maxBatchingWindowSeconds: 0 })))).toEqual([]);
  });

  it('maxConcurrency is 2 to 1000', () => {
    expect(problemsOf(withChange((d) => (d.delivery = { maxConcurrency: 1001 })))).toEqual([
      "delivery.maxConcurrency: must be from 2 to 1000 (the SQS event source mapping's maximum concurrency), not 1001",
    ]);
    expect(problemsOf(withChange((d) => (d.delivery = { maxConcurrency: 1000 })))).toEqual([]);
  });

  it('maxReceiveCount is at least 1', () => {
    expect(problemsOf(withChange((d) => (d.queue = { maxReceiveCount: 0 })))).toEqual([
      'queue.maxReceiveCount: must be at least 1 (5 or more is advised), not 0',
    ]);
  });

  it('the DLQ keeps messages longer than the queue', () => {
    expect(problemsOf(withChange((d) => (d.queue = { retentionDays: 14, dlqRetentionDays: 14 })))).toEqual([
      'queue.dlqRetentionDays: must be longer than queue.retentionDays (14), or messages can expire in the DLQ before anyone sees them',
    ]);
  });

  it('the visibility timeout is at least 6× the consumer timeout', () => {
    expect(problemsOf(withChange((d) => (d.consumer = { timeoutSeconds: 120 })))).toEqual([
      'queue.visibilityTimeoutSeconds: must be at least 6 × consumer.timeoutSeconds (6 × 120 = 720), as AWS advises for SQS event sources',
    ]);
    expect(
      problemsOf(
        withChange((d) => {
          d.consumer = { timeoutSeconds: 120 };
          d.queue = { visibilityTimeoutSeconds: 720 };
        }),
      ),
    ).toEqual([]);
  });

  it('invitation mode needs an email for every member', () => {
    expect(problemsOf(withChange((d) => delete d.accounts['222222222222'].email))).toEqual([
      'accounts.222222222222.email: is required when guardduty.mode is invitation: GuardDuty sends the invitation to this address',
    ]);
    // The administrator is never invited, so it needs no email.
    expect(problemsOf(withChange((d) => (d.accounts['111111111111'] = { name: 'admin' })))).toEqual([]);
  });

  it('organization mode needs the management account and no emails', () => {
    expect(problemsOf(withChange((d) => (d.guardduty = { mode: 'organization' })))).toEqual([
      'guardduty.managementAccount: is required when guardduty.mode is organization: the org stack runs in that account to designate hub.account as administrator',
    ]);
    const org = withChange((d) => {
      d.guardduty = { mode: 'organization', managementAccount: '999999999999' };
      delete d.accounts['222222222222'].email;
    });
    expect(problemsOf(org)).toEqual([]);
  });

  it('colours are hex', () => {
    expect(problemsOf(withChange((d) => (d.colors = { critical: '#B8122' })))).toEqual([
      'colors.critical: must be a hex colour such as "#E8743B"',
    ]);
  });

  it('severity thresholds are a band name or a number from 1 to 10', () => {
    expect(problemsOf(withChange((d) => (d.defaults.minSeverity = 'severe')))).toEqual([
      'defaults.minSeverity: must be low, medium, high, critical or a number from 1.0 to 10.0',
    ]);
    expect(problemsOf(withChange((d) => (d.accounts['222222222222'].minSeverity = 11)))).toEqual([
      'accounts.222222222222.minSeverity: must be low, medium, high, critical or a number from 1.0 to 10.0',
    ]);
    expect(problemsOf(withChange((d) => (d.defaults.minSeverity = 5.5)))).toEqual([]);
  });

  it('refuses a webhook URL pasted into the config, wherever it is', () => {
    const url = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
    expect(problemsOf(withChange((d) => (d.destinations.security = { webhookSecret: url })))).toEqual([
      `destinations.security.webhookSecret: ${WEBHOOK_IN_CONFIG}`,
    ]);
    expect(problemsOf(withChange((d) => (d.destinations.security = { webhookSecret: 'x', webhookUrl: url })))).toEqual([
      `destinations.security.webhookUrl: ${WEBHOOK_IN_CONFIG}`,
    ]);
    expect(WEBHOOK_IN_CONFIG).toContain('put the URL in Secrets Manager');
  });

  it('accepts an app destination with a bot token secret and a channel id', () => {
    const doc = withChange(
      (d) => (d.destinations['team-a'] = { app: { botTokenSecret: 'guardduty-hub/slack/app', channel: 'C0123ABCD' } }),
    );

    const config = validateConfig(doc, 'test.yml');

    expect(problemsOf(doc)).toEqual([]);
    expect(config.destinations['team-a']).toEqual({
      app: { botTokenSecret: 'guardduty-hub/slack/app', channel: 'C0123ABCD' },
    });
  });

  it('needs exactly one of webhookSecret and app on a destination', () => {
    const app = { botTokenSecret: 'guardduty-hub/slack/app', channel: 'C0123ABCD' };
    expect(
      problemsOf(withChange((d) => (d.destinations['team-a'] = { webhookSecret: 'guardduty-hub/slack/team-a', app }))),
    ).toEqual([
      'destinations.team-a: has both webhookSecret and app; a destination is either a webhook or a Slack app: keep one of the two',
    ]);
    expect(problemsOf(withChange((d) => (d.destinations['team-a'] = {})))).toEqual([
      'destinations.team-a: needs webhookSecret (a webhook), app: { botTokenSecret, channel } (a Slack app), ' +
        'type: pagerduty with routingKeySecret or type: teams with workflowUrlSecret',
    ]);
  });

  it('takes a destination type that agrees with its fields, and refuses one that does not, naming both', () => {
    const agrees = withChange((d) => {
      d.destinations.security.type = 'slack-webhook';
    });
    const disagrees = withChange((d) => {
      d.destinations['team-a'].type = 'slack-app';
    });
    const unknown = withChange((d) => {
      d.destinations['team-a'].type = 'opsgenie';
    });

    expect(problemsOf(agrees)).toEqual([]);
    expect(problemsOf(disagrees)).toEqual([
      'destinations.team-a.type: is slack-app, but the destination has webhookSecret (a slack-webhook): make them agree',
    ]);
    expect(problemsOf(unknown)).toEqual([
      'destinations.team-a.type: must be one of slack-webhook, slack-app, pagerduty, teams',
    ]);
  });

  it('names what is wrong with an app destination', () => {
    const problems = problemsOf(
      withChange((d) => (d.destinations['team-a'] = { app: { channel: '#security', extra: 1 } })),
    );

    expect(problems).toEqual([
      'destinations.team-a.app.botTokenSecret: is required: the name of the Secrets Manager secret that holds the bot token (xoxb-…)',
      'destinations.team-a.app.channel: must be a Slack channel id such as C0123ABCD (not a #name): in Slack, open the channel details to copy it',
      'destinations.team-a.app.extra: is not a known key',
    ]);
  });

  it('refuses a bot token pasted into the config', () => {
    const token = ['xoxb', '1234567890', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
    expect(
      problemsOf(
        withChange((d) => (d.destinations['team-a'] = { app: { botTokenSecret: token, channel: 'C0123ABCD' } })),
      ),
    ).toEqual([`destinations.team-a.app.botTokenSecret: ${TOKEN_IN_CONFIG}`]);
  });

  it('accepts exact webhook host names, and only those', () => {
    const hosts = (list: unknown) => problemsOf(withChange((d) => (d.delivery = { allowedWebhookHosts: list })));

    expect(hosts(['hooks.example.com', '127.0.0.1'])).toEqual([]);
    expect(
      hosts([
        'https://hooks.example.com',
        '*.example.com',
        'hooks.example.com/services',
        'hooks.example.com:8443',
        'Hooks.Example.com',
        'bad_host',
        '',
      ]),
    ).toEqual([
      'delivery.allowedWebhookHosts[0]: must be a host name only, without a scheme: write hooks.example.com, not https://hooks.example.com',
      'delivery.allowedWebhookHosts[1]: must be an exact host name: wildcards (*) are not allowed, list each host',
      'delivery.allowedWebhookHosts[2]: must be a host name only, without a path',
      'delivery.allowedWebhookHosts[3]: must be a host name only, without a port',
      'delivery.allowedWebhookHosts[4]: must be written in lower case',
      'delivery.allowedWebhookHosts[5]: must be a host name such as hooks.example.com (letters, digits, hyphens and dots)',
      'delivery.allowedWebhookHosts[6]: must be a host name such as hooks.example.com (letters, digits, hyphens and dots)',
    ]);
    expect(hosts('hooks.example.com')).toEqual([
      'delivery.allowedWebhookHosts: must be a list of host names such as hooks.example.com',
    ]);
    expect(hosts(['hooks.example.com', 'hooks.example.com', 'hooks.slack.com'])).toEqual([
      'delivery.allowedWebhookHosts[1]: hooks.example.com is listed twice',
      'delivery.allowedWebhookHosts[2]: hooks.slack.com is always allowed; leave it out',
    ]);
  });

  it('names unknown keys', () => {
    expect(problemsOf(withChange((d) => (d.delivery = { batchsize: 10 })))).toEqual([
      'delivery.batchsize: is not a known key',
    ]);
    expect(problemsOf(withChange((d) => (d.webhook = 'x')))[0]).toMatch(
      /^webhook: is not a known key \(known: hub, regions,/,
    );
  });

  it('a suppress rule names at least one criterion', () => {
    expect(problemsOf(withChange((d) => (d.suppress = [{}])))).toEqual([
      'suppress[0]: must name at least one of type, accounts, regions or below',
    ]);
  });

  it('count milestones increase', () => {
    expect(problemsOf(withChange((d) => (d.repeats = { countMilestones: [100, 10] })))).toEqual([
      'repeats.countMilestones: must be in increasing order',
    ]);
  });

  it('a missing required section says it is required', () => {
    const doc = baseDoc();
    delete doc.destinations;
    expect(problemsOf(doc)).toEqual(['destinations: is required']);
  });
});

describe('derived routing', () => {
  const config = validateConfig(
    withChange((d) => {
      d.accounts['333333333333'] = {
        name: 'member2',
        email: 'm2@example.com',
        regions: ['us-west-2'],
        minSeverity: 'high',
      };
      d.accounts['111111111111'] = { name: 'admin' };
    }),
  );

  it('routes listed accounts by their settings and others by defaults', () => {
    const route = (destination: string, minScore: number, accountName: string | undefined) => ({
      destination,
      minScore,
      accountName,
      lanes: [{ destination, minScore, attackSequences: false }],
    });
    expect(routeFor(config, '222222222222')).toEqual(route('team-a', 1, 'member1'));
    expect(routeFor(config, '333333333333')).toEqual(route('security', 7, 'member2'));
    expect(routeFor(config, '444444444444')).toEqual(route('security', 4, undefined));
    expect(routeFor(config, 'constructor')).toEqual(route('security', 4, undefined));
  });

  it('routes an account to each of its destinations, each at its own lowest score', () => {
    const several = validateConfig(
      withChange((d) => {
        d.destinations.oncall = { webhookSecret: 'guardduty-hub/slack/oncall', minSeverity: 'critical' };
        d.accounts['222222222222'] = {
          name: 'member1',
          email: 'aws+m1@example.com',
          destinations: ['team-a', 'oncall'],
        };
        d.defaults.destinations = ['security', 'oncall'];
      }),
      'test.yml',
    );

    expect(routeFor(several, '222222222222').lanes).toEqual([
      { destination: 'team-a', minScore: 4, attackSequences: false },
      { destination: 'oncall', minScore: 9, attackSequences: false },
    ]);
    expect(routeFor(several, '444444444444')).toMatchObject({
      destination: 'security',
      lanes: [{ destination: 'security' }, { destination: 'oncall', minScore: 9 }],
    });
  });

  it('refuses a destination list naming an unknown destination or one twice, or beside destination', () => {
    const doc = withChange((d) => {
      d.accounts['222222222222'].destinations = ['team-a', 'nowhere', 'team-a'];
      d.defaults.destinations = ['security', 'security'];
    });

    expect(problemsOf(doc)).toEqual([
      'defaults.destinations[1]: names security twice: each destination gets a finding once',
      'accounts.222222222222.destinations[1]: names destination "nowhere", which is not under destinations (known: security, team-a)',
      'accounts.222222222222.destinations[2]: names team-a twice: each destination gets a finding once',
      'accounts.222222222222: has both destination and destinations: keep one (destinations may list one name)',
    ]);
  });

  it('the lowest threshold covers defaults and every account', () => {
    expect(lowestThreshold(config)).toBe(1);
    expect(lowestThreshold({ ...config, accounts: {} })).toBe(4);
  });

  it('lists the members of a region, never the administrator', () => {
    expect(membersInRegion(config, 'us-east-1').map(([id]) => id)).toEqual(['222222222222']);
    expect(membersInRegion(config, 'us-west-2').map(([id]) => id)).toEqual(['222222222222', '333333333333']);
  });
});
