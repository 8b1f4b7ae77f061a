import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routeBatch } from '../../core/route/index.ts';
import {
  ConfigError,
  EXAMPLE_CONFIG_PATH,
  isTamperEventName,
  parseConfig,
  triageFunctionName,
  triageRoleArn,
} from '../../shared/index.ts';
import { makeCloudTrailDetail, makeCloudTrailEvent, makeConfig } from '../factories/index.ts';

const HUB = '111111111111';
const TRIAGE = { signingSecret: 'guardduty-hub/slack/signing', allow: { suppress: ['S0SECOPS01'] } };
const APP = { app: { botTokenSecret: 'guardduty-hub/slack/alerts-bot', channel: 'C0123ABCD9' } };

/** A GuardDuty call made by a session of `role`, as CloudTrail records it (Lambda names the session after the function). */
function callBy(role: string, eventName: string) {
  const identity = {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${HUB}:assumed-role/${role}/${role}`,
    sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${HUB}:role/${role}` } },
  };
  return {
    messageId: 'm1',
    body: JSON.stringify(
      makeCloudTrailEvent(makeCloudTrailDetail(eventName, { overrides: { userIdentity: identity } })),
    ),
  };
}

describe('the triage role in tamper alerts', () => {
  it('is a quiet principal whenever triage is configured, beside the listed ones', () => {
    const config = makeConfig({
      destinations: { alerts: APP },
      triage: TRIAGE,
      guard: { quietPrincipals: [`arn:aws:iam::${HUB}:role/deploy`] },
    });

    expect(config.guard.quietPrincipals).toEqual([
      `arn:aws:iam::${HUB}:role/deploy`,
      `arn:aws:iam::${HUB}:role/${triageFunctionName(config)}`,
      `arn:aws:iam::${HUB}:role/guardduty-hub-drift`, // it deletes expired Slack-made filters
    ]);
    expect(triageRoleArn(config)).toBe(`arn:aws:iam::${HUB}:role/guardduty-hub-triage`);
  });

  it('is listed once when the config already names it, and not at all without triage', () => {
    const listed = makeConfig({
      destinations: { alerts: APP },
      triage: TRIAGE,
      guard: { quietPrincipals: [`arn:aws:iam::${HUB}:role/guardduty-hub-triage`] },
    });
    const without = makeConfig({ destinations: { alerts: APP } });

    expect(listed.guard.quietPrincipals).toEqual([
      `arn:aws:iam::${HUB}:role/guardduty-hub-triage`,
      `arn:aws:iam::${HUB}:role/guardduty-hub-drift`,
    ]);
    expect(without.guard.quietPrincipals).toEqual([]);
  });

  it('makes the triage function’s CreateFilter arrive as a quiet message, while another role’s stays loud', () => {
    const config = makeConfig({ destinations: { alerts: APP }, triage: TRIAGE });

    const ours = routeBatch([callBy('guardduty-hub-triage', 'CreateFilter')], config);
    const theirs = routeBatch([callBy('someone-else', 'CreateFilter')], config);

    expect(ours.routed.map((r) => [r.finding.tamper?.eventName, r.finding.tamper?.quiet])).toEqual([
      ['CreateFilter', true],
    ]);
    expect(theirs.routed.map((r) => [r.finding.tamper?.eventName, r.finding.tamper?.quiet ?? false])).toEqual([
      ['CreateFilter', false],
    ]);
  });

  it('needs nothing for archiving: ArchiveFindings and UnarchiveFindings are not watched calls', () => {
    expect(['ArchiveFindings', 'UnarchiveFindings', 'TagResource'].filter(isTamperEventName)).toEqual([]);
  });
});

describe('the signing secret', () => {
  it('is refused when a destination already uses the same secret (the stack would create it twice)', () => {
    const clash = () =>
      makeConfig({ destinations: { alerts: APP }, triage: { ...TRIAGE, signingSecret: APP.app.botTokenSecret } });

    expect(clash).toThrow(ConfigError);
    expect(() => clash()).toThrow(
      'triage.signingSecret: is also the secret of destination alerts: the signing secret needs a secret of its own',
    );
  });
});

describe('the commented triage example in config/example.yml', () => {
  it('is a valid config once it and the app destination are uncommented', () => {
    const text = readFileSync(EXAMPLE_CONFIG_PATH, 'utf8').replace('  # alerts: { app:', '  alerts: { app:');
    const lines = text.split('\n');
    const start = lines.findIndex((line) => line.startsWith('# triage:'));
    let end = start;
    while (end < lines.length && lines[end]!.startsWith('#')) end += 1;
    const uncommented = [
      ...lines.slice(0, start),
      ...lines.slice(start, end).map((line) => line.slice(2)),
      ...lines.slice(end),
    ].join('\n');

    const config = parseConfig(uncommented, 'example.yml, triage uncommented');

    expect(start).toBeGreaterThan(0);
    expect(config.triage).toEqual({
      signingSecret: 'guardduty-hub/slack/signing',
      allow: {
        acknowledge: ['S0SECOPS01'],
        archive: ['S0SECOPS01'],
        unarchive: ['S0SECOPS01'],
        suppress: ['U0123ABCD9'],
        silence: ['S0SECOPS01'],
      },
      suppressExpiryDays: 90,
    });
  });
});
