import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelNotFoundError, findModelPath, loadGuardDutyModel, membersOf } from './guardduty-model.ts';

describe('the GuardDuty API model the family fixtures come from', () => {
  it('is found in the test Python environment, with the Finding, Resource and Sequence shapes', () => {
    // Act
    const model = loadGuardDutyModel();

    // Assert
    expect(model.path).toMatch(/botocore\/data\/guardduty\/[\d-]+\/service-2\.json(\.gz)?$/);
    expect(membersOf(model, 'Resource').map(([wire]) => wire)).toEqual(
      expect.arrayContaining(['resourceType', 's3BucketDetails', 'instanceDetails']),
    );
    expect(membersOf(model, 'Sequence').map(([wire]) => wire)).toEqual(
      expect.arrayContaining(['signals', 'actors', 'resources', 'endpoints', 'sequenceIndicators']),
    );
    expect(membersOf(model, 'Finding').map(([wire]) => wire)).toContain('associatedAttackSequenceArn');
  });

  it('fails with a message saying what is missing and how to get it when the environment has no model', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-venv-'));
    mkdirSync(join(empty, 'lib/python3.11/site-packages'), { recursive: true });

    expect(() => findModelPath(empty)).toThrow(ModelNotFoundError);
    expect(() => findModelPath(empty)).toThrow(/GuardDuty API model .* is not in .*no-venv-.*test\/support\/moto\.sh/);
  });

  it('refuses a file that is not the GuardDuty model', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bad-model-')), 'service-2.json');
    writeFileSync(path, JSON.stringify({ shapes: { Other: { type: 'string' } } }));

    expect(() => loadGuardDutyModel(path)).toThrow(
      /is not the GuardDuty API model: it has no Finding or Resource shape/,
    );
  });
});
