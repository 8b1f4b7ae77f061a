import { describe, expect, it } from 'vitest';
import { renderMessages, validatePayload } from '../../destinations/slack/render/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import type { SlackMessage } from '../../destinations/slack/render/types.ts';
import { makeHubConfig, makeRoutedFinding } from '../factories/index.ts';

const config = makeHubConfig({ delivery: { digestThreshold: 2 } });

/** A finding that the repeat gate folded from `regions` into one message. */
function folded(regions: readonly string[]): RoutedFinding {
  return { ...makeRoutedFinding('security', { region: regions[0] }), regions };
}

function fieldsOf(message: SlackMessage): string[] {
  const section = message.payload.attachments[0]!.blocks.find((block) => Array.isArray(block.fields));
  return (section!.fields as { text: string }[]).map((field) => field.text);
}

describe('rendering a finding seen in several regions', () => {
  it('names every region in one Regions field and in the notification text', () => {
    const routed = folded(['eu-north-1', 'us-east-1', 'us-west-2']);

    const [message] = renderMessages([routed], config);

    expect(fieldsOf(message!)).toContain('*Regions*\neu-north-1, us-east-1, us-west-2');
    expect(fieldsOf(message!).some((text) => text.startsWith('*Region*'))).toBe(false);
    expect(message!.payload.text).toContain('eu-north-1, us-east-1, us-west-2');
    expect(validatePayload(message!.payload)).toEqual([]);
  });

  it('keeps the single Region field when the group has one region', () => {
    const routed = folded(['us-west-1']);

    const [message] = renderMessages([routed], config);

    expect(fieldsOf(message!)).toContain('*Region*\nus-west-1');
  });

  it('writes Regions: … in the digest line of a folded finding, and the bare region for the others', () => {
    const routed = [
      folded(['us-east-1', 'us-west-2', 'eu-north-1']),
      makeRoutedFinding('security', { region: 'us-west-1' }),
      makeRoutedFinding('security'),
    ];

    const [digest, ...others] = renderMessages(routed, config);

    expect(others).toEqual([]);
    expect(digest!.kind).toBe('digest');
    const text = JSON.stringify(digest!.payload);
    expect(text).toContain(' · Regions: us-east-1, us-west-2, eu-north-1 · ');
    expect(text).toContain(' · us-west-1 · ');
    expect(validatePayload(digest!.payload)).toEqual([]);
  });
});
