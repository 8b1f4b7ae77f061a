import { describe, expect, it } from 'vitest';
import { parentPayload, replyText, withFindings } from '../../destinations/slack-app/index.ts';
import { validatePayload } from '../../destinations/slack/render/index.ts';
import { SLACK_LIMITS } from '../../destinations/slack/limits.ts';
import { makeRoutedFinding } from '../factories/index.ts';
import { appConfig } from './app-support.ts';

// The living parent's text and its thread replies at the edges of Slack's limits.

const config = appConfig();
const NOW = Date.parse('2026-06-01T00:00:00Z');

describe('a living parent', () => {
  it('stays within the top-level text limit when archived, however long the title', () => {
    const routed = makeRoutedFinding('alerts', { title: 'x'.repeat(10_000) });

    const active = parentPayload(routed, config, withFindings({}, [routed.finding]), NOW);
    const archived = parentPayload(routed, config, withFindings({}, [{ ...routed.finding, archived: true }]), NOW);

    expect(active.text.length).toBe(SLACK_LIMITS.topLevelTextChars);
    expect(archived.text.startsWith('[archived] ')).toBe(true);
    expect(archived.text.length).toBeLessThanOrEqual(SLACK_LIMITS.topLevelTextChars);
    expect(validatePayload(archived)).toEqual([]);
  });
});

describe('a thread reply', () => {
  it('quotes a type and regions escaped and cut, so a hostile finding cannot make it huge', () => {
    const routed = makeRoutedFinding('alerts', { type: `Recon:EC2/<!channel>${'&'.repeat(10_000)}` });

    const reply = replyText(routed, { kind: 'region-joined', added: ['eu-west-1', '<!here>'.repeat(1000)] });

    expect(reply).not.toMatch(/<!channel>|<!here>/);
    expect(reply.length).toBeLessThan(800);
    expect(reply).toMatch(
      /^Now also seen in \*eu-west-1, &lt;!here&gt;.*…\* \(same issue: Recon:EC2\/&lt;!channel&gt;(&amp;)+…\)\.$/,
    );
  });
});
