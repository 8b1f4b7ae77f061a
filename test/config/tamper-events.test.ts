import { describe, expect, it } from 'vitest';
import {
  NOT_WATCHED,
  TAMPER_EVENT_NAMES,
  TAMPER_EVENTS,
  WATCHED_CREATES,
  shouldWatch,
  tamperEventPattern,
} from '../../shared/guard/index.ts';
import { loadGuardDutyModel } from '../model/guardduty-model.ts';

// The watched calls against the GuardDuty API model botocore ships (in the moto venv the test setup
// builds; loadGuardDutyModel fails, never skips, when it is absent). A new Delete*, Disable*,
// Disassociate*, Stop* or Update* operation in a later model fails here until it is watched, with
// its target and risk, or listed in NOT_WATCHED with the reason.

/** EventBridge's default limit on a rule's event pattern, in characters (adjustable to 4,096). */
const EVENT_PATTERN_MAX_CHARS = 2048;

const operations = () => Object.keys(loadGuardDutyModel().operations).sort();

describe('the watched GuardDuty calls', () => {
  it('are exactly the operations of the API model that the rule selects', () => {
    const selected = operations().filter(shouldWatch);

    expect([...TAMPER_EVENT_NAMES]).toEqual(selected);
  });

  it('name, as exceptions and watched creates, only operations the model has', () => {
    const names = operations();

    expect(Object.keys(NOT_WATCHED).filter((name) => !names.includes(name))).toEqual([]);
    expect(Object.keys(WATCHED_CREATES).filter((name) => !names.includes(name))).toEqual([]);
  });

  it('leave out only operations the verbs select, each with a reason', () => {
    for (const [name, reason] of Object.entries(NOT_WATCHED)) {
      expect(name).toMatch(/^(Delete|Disable|Disassociate|Stop|Update)[A-Z]/);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  it('include the Custom Detection Rule associations, account and organization', () => {
    expect(TAMPER_EVENT_NAMES).toEqual(
      expect.arrayContaining([
        'UpdateCustomDetectionRuleAssociation',
        'DeleteCustomDetectionRuleAssociation',
        'UpdateCustomDetectionRuleOrgConfiguration',
        'DeleteCustomDetectionRuleOrgConfiguration',
      ]),
    );
    expect(TAMPER_EVENTS.UpdateCustomDetectionRuleAssociation.target).toBe('custom-detection-rule');
  });

  it('fit in one EventBridge event pattern at the default size limit', () => {
    expect(JSON.stringify(tamperEventPattern()).length).toBeLessThanOrEqual(EVENT_PATTERN_MAX_CHARS);
  });
});

describe('the rule', () => {
  it.each([
    ['DeleteSomethingNew', true],
    ['UpdateSomethingNew', true],
    ['DisableSomethingNew', true],
    ['StopSomethingNew', true],
    ['CreateFilter', true],
    ['CreateDetector', false],
    ['CreateSomethingNew', false],
    ['GetDetector', false],
    ['UpdateFindingsFeedback', false],
    ['DeleteInvitations', false],
  ])('%s → %s', (name, expected) => {
    expect(shouldWatch(name)).toBe(expected);
  });
});
