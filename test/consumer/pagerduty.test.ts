import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../core/repeats/index.ts';
import { findingConsoleUrl } from '../../shared/index.ts';
import { accessKey, atSeverity, forAccount, makeFindingEvent, makeSqsRecord } from '../factories/index.ts';
import { webhookPath } from '../support/consumer-harness.ts';
import { gateOver, republish } from './repeats-handler-support.ts';
import { ONCALL_KEY, PAGED_ACCOUNT, pagerConfig, startPagerWorld, type PagerWorld } from './pagerduty-support.ts';

let world: PagerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A finding of the paged account. */
const paged = (detail: Record<string, unknown> = {}) =>
  makeFindingEvent({ detail: { ...forAccount(PAGED_ACCOUNT), ...detail } });

describe('PagerDuty destinations through the real handler', () => {
  it('triggers a critical finding with its issue as dedup_key, the band’s severity and the finding’s fields', async () => {
    world = await startPagerWorld();
    const event = paged({ ...atSeverity(9.5), ...accessKey({ accessKeyId: 'AKIAEXAMPLE1', userName: 'alice' }) });

    const response = await world.harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    const [sent] = world.events();
    expect(world.events()).toHaveLength(1);
    expect(sent).toMatchObject({
      routing_key: ONCALL_KEY,
      event_action: 'trigger',
      dedup_key: `issue#${event.detail.type}#${PAGED_ACCOUNT}#access-key:AKIAEXAMPLE1`,
      client: 'guardduty-hub',
      payload: {
        severity: 'critical',
        source: `prod (${PAGED_ACCOUNT}) us-east-1`,
        group: `prod (${PAGED_ACCOUNT})`,
        class: event.detail.type,
        timestamp: event.detail.updatedAt,
      },
      links: [{ href: findingConsoleUrl('us-east-1', String(event.detail.id)), text: 'Open in GuardDuty console' }],
    });
    expect(sent?.payload?.summary).toBe(
      `Critical GuardDuty finding in prod (${PAGED_ACCOUNT}) us-east-1: ${event.detail.title}`,
    );
    expect(sent?.payload?.component).toContain('AKIAEXAMPLE1');
    expect(sent?.payload?.custom_details).toMatchObject({
      Account: `prod (${PAGED_ACCOUNT})`,
      Region: 'us-east-1',
      Count: '1',
      'Finding id': event.detail.id,
      'Why now': 'new',
    });
    expect(Object.keys(sent?.payload?.custom_details ?? {})).toEqual(
      expect.arrayContaining(['Resource', 'First seen', 'Last seen', 'Severity', 'Type', 'Description']),
    );
    expect(world.pager.alerts.latest(sent?.dedup_key ?? '')?.state).toBe('triggered');
    expect(world.harness.received('security')).toEqual([]);
    expect(world.harness.captured.metric('FindingsDelivered')).toBe(1);
  });

  it('maps each band to a PagerDuty severity, keys a finding without a global identity by its id, and cuts a long summary', async () => {
    world = await startPagerWorld();
    const long = 'x'.repeat(990) + '🙂'.repeat(40);
    const events = [2, 5, 8, 9].map((score, i) => paged({ ...atSeverity(score), ...(i === 0 ? { title: long } : {}) }));

    await world.harness.invoke(events.map((event) => makeSqsRecord(event)));

    const byId = new Map(world.events().map((sent) => [sent.dedup_key, sent]));
    expect(events.map((event) => byId.get(`finding#${event.detail.id}`)?.payload?.severity)).toEqual([
      'info',
      'warning',
      'error',
      'critical',
    ]);
    const summary = byId.get(`finding#${events[0]!.detail.id}`)?.payload?.summary ?? '';
    expect([...summary]).toHaveLength(1024);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('resolves the alert with the same dedup_key when the finding is archived, once per instance', async () => {
    world = await startPagerWorld();
    const event = paged(atSeverity(9));
    await world.harness.invoke([makeSqsRecord(event)]);
    const archived = republish(event, 2);
    archived.detail.service.archived = true;

    const responses = [
      await world.harness.invoke([makeSqsRecord(archived)]),
      await world.harness.invoke([makeSqsRecord(republish(archived, 3))]),
    ];

    expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
    expect(world.events().map((sent) => [sent.event_action, sent.dedup_key])).toEqual([
      ['trigger', `finding#${event.detail.id}`],
      ['resolve', `finding#${event.detail.id}`],
    ]);
    expect(world.pager.alerts.latest(`finding#${event.detail.id}`)?.state).toBe('resolved');
    expect(world.harness.captured.metric('FindingsSkipped_archived')).toBe(2);
  });

  it('sends nothing for an archived finding below the account’s threshold: it was never paged', async () => {
    const config = pagerConfig({
      accounts: { [PAGED_ACCOUNT]: { name: 'prod', minSeverity: 'critical', destination: 'oncall' } },
    });
    world = await startPagerWorld(config);
    const archived = paged({ ...atSeverity(5), service: { archived: true } });

    const response = await world.harness.invoke([makeSqsRecord(archived)]);

    expect(response.batchItemFailures).toEqual([]);
    expect(world.pager.requests).toEqual([]);
  });

  it('triggers the same dedup_key again when the severity rises', async () => {
    const config = pagerConfig();
    world = await startPagerWorld(config, { repeats: gateOver(config, new MemoryStateStore()) });
    const first = paged(atSeverity(7.5));

    await world.harness.invoke([makeSqsRecord(first)]);
    await world.harness.invoke([makeSqsRecord(republish(first, 2))]);
    await world.harness.invoke([makeSqsRecord(republish(first, 3, 9.2))]);

    const key = `finding#${first.detail.id}`;
    expect(
      world.events().map((sent) => [sent.dedup_key, sent.payload?.severity, sent.payload?.custom_details['Why now']]),
    ).toEqual([
      [key, 'error', 'new'],
      [key, 'critical', 'severity-rose'],
    ]);
    expect(world.pager.alerts.of(key)).toHaveLength(1);
    expect(world.pager.alerts.latest(key)).toMatchObject({ state: 'triggered', triggers: 2 });
  });

  it('dead-letters a record at once, with its reason, when PagerDuty refuses its event (400)', async () => {
    world = await startPagerWorld();
    const [refused, fine] = [paged(atSeverity(9)), paged(atSeverity(9))];
    world.pager.integration(ONCALL_KEY, { refuseContaining: String(refused.detail.id) });
    const records = [makeSqsRecord(refused), makeSqsRecord(fine)];

    const response = await world.harness.invoke(records);

    expect(response.batchItemFailures).toEqual([]);
    expect(world.harness.deadLetters.map((letter) => [letter.sourceMessageId, letter.kind, letter.reason])).toEqual([
      [
        records[0]!.messageId,
        'rejected',
        'oncall: PagerDuty refused the event (400): invalid event; Event object is invalid; refused by the test',
      ],
    ]);
    expect(world.events().map((sent) => sent.dedup_key)).toEqual([`finding#${fine.detail.id}`]);
    expect(world.harness.received('security')).toEqual([]);
  });

  it('triggers a finding rerouted to it (the default destination) with the note saying why', async () => {
    world = await startPagerWorld(pagerConfig({ defaults: { destination: 'oncall' } }));
    world.harness.simulator.setBehaviour(webhookPath('team-a'), { gone: 404, body: 'channel_not_found' });
    const event = makeFindingEvent({ detail: { ...forAccount('222222222222'), ...atSeverity(8) } });

    const response = await world.harness.invoke([makeSqsRecord(event)]);

    expect(response.batchItemFailures).toEqual([]);
    expect(world.events()).toHaveLength(1);
    expect(world.events()[0]?.payload?.custom_details).toMatchObject({
      'Finding id': event.detail.id,
      Note: 'Sent here because team-a answered 404 channel_not_found',
    });
  });
});
