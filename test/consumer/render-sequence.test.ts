import { describe, expect, it } from 'vitest';
import { renderSingle, validatePayload } from '../../destinations/slack/render/index.ts';
import type { SlackPayload } from '../../destinations/slack/render/types.ts';
import { SLACK_LIMITS } from '../../destinations/slack/limits.ts';
import { attackSequence, makeFinding, makeHubConfig, sequenceActor, sequenceSignal } from '../factories/index.ts';

// Attack sequences (Extended Threat Detection): what the sequence did, from `service.detection.sequence`.

const config = makeHubConfig();

function renderSequence(...args: Parameters<typeof attackSequence>): SlackPayload {
  return renderSingle(
    { finding: makeFinding(attackSequence(...args)), destination: 'security', messageIds: ['m-1'] },
    config,
  );
}

function texts(payload: SlackPayload): string[] {
  return payload.attachments[0]!.blocks.flatMap((block) => {
    const b = block as { text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] };
    return [b.text?.text, ...(b.fields ?? []).map((f) => f.text), ...(b.elements ?? []).map((e) => e.text)].filter(
      (t): t is string => t !== undefined,
    );
  });
}

const section = (payload: SlackPayload, title: string) => texts(payload).find((text) => text.startsWith(`*${title}*`));

describe('an attack sequence message', () => {
  it('shows tactics and techniques, the signals as a timeline, resources, actors, endpoints and the console link', () => {
    // Act
    const payload = renderSequence();

    // Assert
    expect(validatePayload(payload)).toEqual([]);
    expect(payload.attachments[0]!.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Critical 9.5 · GuardDuty finding' },
    });
    expect(section(payload, 'Tactics and techniques')).toBe(
      '*Tactics and techniques* (2)\n• MITRE ATT&amp;CK tactics: Discovery, Exfiltration\n• MITRE ATT&amp;CK techniques: T1619, T1530',
    );
    expect(section(payload, 'Indicators')).toBe(
      '*Indicators* (2)\n• High-risk APIs: s3:GetObject\n• TOR_IP: 198.51.100.7',
    );
    expect(section(payload, 'Signals')).toBe(
      [
        '*Signals* (3)',
        '• 2026-01-15 10:01 UTC – 2026-01-15 10:31 UTC · ×2 · CLOUD_TRAIL ListBuckets',
        '• 2026-01-15 10:02 UTC – 2026-01-15 10:32 UTC · ×3 · FINDING Discovery:S3/AnomalousBehavior.2',
        '• 2026-01-15 10:03 UTC – 2026-01-15 10:33 UTC · ×4 · S3_DATA_EVENTS GetObject',
      ].join('\n'),
    );
    expect(section(payload, 'Resources')).toBe('*Resources*\n• S3_BUCKET customer-data (444444444444, us-east-1)');
    expect(section(payload, 'Actors')).toBe(
      '*Actors*\n• user-1 (IAMUser) · account 444444444444 · session session-1 · MFA DISABLED',
    );
    expect(section(payload, 'Endpoints')).toBe(
      '*Endpoints*\n• 198.51.100.7:443 exfil.example (Berlin, DE; AS64500 Example Net)',
    );
    expect(texts(payload).find((t) => t.startsWith('*Resource*\n'))).toBe(
      '*Resource*\nAttackSequence: 1 resource: S3_BUCKET customer-data (444444444444, us-east-1)\nSequence: sequence-uid-1',
    );
    expect(texts(payload).at(-1)).toMatch(
      /^<https:\/\/console\.aws\.amazon\.com\/guardduty\/home\?region=us-east-1#\/findings\?macros=current&fId=f[0-9a-f]+\|Open in GuardDuty console>/,
    );
  });

  it('falls back to the description when the event has no `detection`', () => {
    // Act
    const payload = renderSequence(false);

    // Assert
    expect(validatePayload(payload)).toEqual([]);
    expect(texts(payload)).toContain('GuardDuty correlated signals into an attack sequence against S3 data.');
    expect(section(payload, 'Signals')).toBeUndefined();
    expect(section(payload, 'Tactics and techniques')).toBeUndefined();
  });

  it('stays within Slack limits with 100 signals and 400 actors, saying how many more there are', () => {
    // Arrange
    const signals = Array.from({ length: 100 }, (_, i) =>
      sequenceSignal(i, { name: `${'VeryLongSignalName'.repeat(40)}-${i} <&>` }),
    );
    const actors = Array.from({ length: 400 }, (_, i) => sequenceActor(i));

    // Act
    const payload = renderSequence({ signals, actors });

    // Assert
    expect(validatePayload(payload)).toEqual([]);
    expect(payload.attachments[0]!.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(payload.text.length).toBeGreaterThan(0);
    const signalText = section(payload, 'Signals')!;
    expect(signalText.startsWith('*Signals* (100)\n')).toBe(true);
    expect(signalText).toMatch(/\n…and \d+ more$/);
    expect(signalText.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionTextChars);
    const actorText = section(payload, 'Actors')!;
    expect(actorText).toMatch(/^\*Actors\* \(400\)\n(• user-\d+ [^\n]+\n){5}…and 395 more$/);
  });

  it('shows indicator keys it has never seen, by their title or else their key', () => {
    // Act
    const payload = renderSequence({
      indicators: [
        { key: 'QUANTUM_EXFILTRATION', values: ['a', 'b'] },
        { key: 'NEW_KEY_WITH_TITLE', values: ['x'], title: 'Something <new> & shiny' },
        { key: 'NO_VALUES' },
      ],
    });

    // Assert
    expect(validatePayload(payload)).toEqual([]);
    expect(section(payload, 'Indicators')).toBe(
      '*Indicators* (3)\n• QUANTUM_EXFILTRATION: a, b\n• Something &lt;new&gt; &amp; shiny: x\n• NO_VALUES',
    );
  });
});
