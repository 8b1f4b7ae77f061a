import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { checkFindingEvent, findingEventSchema } from '../../core/kinds/finding/schema.ts';
import { accessKey, atSeverity, makeFindingDetail, makeFindingEvent } from '../factories/index.ts';

/** The schema's own output, the reference for the fast path. */
function viaSchema(input: unknown): unknown {
  const result = v.safeParse(findingEventSchema, input, { abortEarly: true });
  return result.success ? result.output : undefined;
}

describe('checkFindingEvent', () => {
  it('gives what the schema outputs, for clean events and for events the schema has to clean', () => {
    const plain = makeFindingEvent();
    const withoutService = makeFindingEvent();
    delete (withoutService.detail as { service?: unknown }).service;
    const untidy = makeFindingEvent({
      detail: { id: '  padded-id ', accountId: '111111111111\n', ...atSeverity('7.5'), ...accessKey() },
    });
    const notAnObjectService = { ...makeFindingEvent(), detail: { ...makeFindingDetail(), service: 'none' } };

    for (const event of [plain, withoutService, untidy, notAnObjectService]) {
      const checked = checkFindingEvent(JSON.parse(JSON.stringify(event)));
      expect(checked.ok && checked.event).toEqual(viaSchema(JSON.parse(JSON.stringify(event))));
    }
  });

  it('still names the first problem of an event that is not clean', () => {
    expect(checkFindingEvent({ ...makeFindingEvent(), source: 'aws.s3' })).toEqual({
      ok: false,
      reason: 'source must be aws.guardduty (got "aws.s3")',
    });
    expect(checkFindingEvent(makeFindingEvent({ detail: { severity: Number.NaN } }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^detail\.severity must be a number/),
    });
  });
});
