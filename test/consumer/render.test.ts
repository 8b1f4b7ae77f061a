import { describe, expect, it } from 'vitest';
import {
  codeSpan,
  escapeEntities,
  escapeSlack,
  escapeTruncated,
  MAX_LINK_URL_CHARS,
  slackLink,
  renderMessages,
  truncateMrkdwn,
  validatePayload,
} from '../../destinations/slack/render/index.ts';
import { SLACK_LIMITS } from '../../destinations/slack/limits.ts';
import type { RoutedFinding } from '../../core/types.ts';
import type { SlackMessage, SlackPayload } from '../../destinations/slack/render/types.ts';
import {
  accessKey,
  atSeverity,
  forAccount,
  instance,
  makeHubConfig,
  makeRoutedFinding,
  type DetailOverrides,
} from '../factories/index.ts';

const config = makeHubConfig();

/** Every mrkdwn and plain text in a payload, joined: what a reader of the message sees. */
function textsOf(payload: SlackPayload): string[] {
  const out: string[] = [payload.text];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if ((record.type === 'mrkdwn' || record.type === 'plain_text') && typeof record.text === 'string')
        out.push(record.text);
      else Object.values(record).forEach(visit);
    }
  };
  visit(payload.attachments);
  return out;
}

function blocksOf(message: SlackMessage): Record<string, unknown>[] {
  return message.payload.attachments.flatMap((a) => [...a.blocks]);
}

function many(
  count: number,
  destination = 'security',
  pick: (i: number) => DetailOverrides = () => ({}),
): RoutedFinding[] {
  return Array.from({ length: count }, (_, i) => makeRoutedFinding(destination, pick(i)));
}

function expectWithinLimits(messages: readonly SlackMessage[]): void {
  for (const message of messages) expect(validatePayload(message.payload)).toEqual([]);
}

describe('renderMessages: one finding', () => {
  it.each([
    [2, 'low', '#7CD197'],
    [5, 'medium', '#F2C744'],
    [8, 'high', '#E8743B'],
    [9.5, 'critical', '#B8122B'],
  ])('colours a severity %d (%s) finding %s', (severity, _band, colour) => {
    const [message] = renderMessages([makeRoutedFinding('security', atSeverity(severity))], config);

    expect(message?.payload.attachments[0]?.color).toBe(colour);
  });

  it('uses the configured colours', () => {
    const custom = makeHubConfig({ colors: { high: '#000001' } });

    const [message] = renderMessages([makeRoutedFinding('security', atSeverity(7))], custom);

    expect(message?.payload.attachments[0]?.color).toBe('#000001');
  });

  it('says severity, account, region and title in the notification text', () => {
    const routed = makeRoutedFinding('team-a', atSeverity(8), forAccount('222222222222'), {
      region: 'us-west-1',
      title: 'Bad thing',
    });

    const [message] = renderMessages([routed], config);

    expect(message?.payload.text).toBe('High GuardDuty finding in member1 (222222222222) us-west-1: Bad thing');
  });

  it('marks a sample finding (service.additionalInfo.sample, as CreateSampleFindings makes them) in its header and notification text', () => {
    const sample = makeRoutedFinding('security', atSeverity(8), {
      title: 'Sample',
      service: { additionalInfo: { sample: true } },
    });
    const real = makeRoutedFinding('security', atSeverity(8), {
      title: 'Real',
      service: { additionalInfo: { sample: false } },
    });

    const [marked, plain] = renderMessages([sample, real], makeHubConfig({ delivery: { digestThreshold: 5 } }));

    expect(blocksOf(marked!)[0]).toMatchObject({
      type: 'header',
      text: { text: '[SAMPLE] High 8.0 · GuardDuty finding' },
    });
    expect(marked?.payload.text).toMatch(/^\[SAMPLE\] High GuardDuty finding in /);
    expect(blocksOf(plain!)[0]).toMatchObject({ type: 'header', text: { text: 'High 8.0 · GuardDuty finding' } });
  });

  it('shows severity, linked title, fields, description and the console link', () => {
    // Arrange
    const routed = makeRoutedFinding(
      'team-a',
      atSeverity(8),
      forAccount('222222222222'),
      instance({ instanceId: 'i-0abc', name: 'web-1', publicIp: '203.0.113.9' }),
      {
        id: 'find-1',
        region: 'us-west-1',
        title: 'SSH brute force',
        description: 'Someone guesses passwords.',
        service: { count: 3 },
      },
    );

    // Act
    const [message] = renderMessages([routed], config);

    // Assert
    const blocks = blocksOf(message!);
    const url = routed.finding.consoleUrl;
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(blocks[0]).toMatchObject({ text: { type: 'plain_text', text: 'High 8.0 · GuardDuty finding' } });
    expect(blocks[1]).toMatchObject({ text: { text: `*<${url}|SSH brute force>*` } });
    const fields = ((blocks[2]?.fields ?? []) as { text: string }[]).map((f) => f.text);
    expect(fields).toEqual([
      '*Account*\nmember1 (222222222222)',
      '*Region*\nus-west-1',
      '*Type*\nUnauthorizedAccess:EC2/SSHBruteForce',
      '*Resource*\nInstance: i-0abc (web-1)\nImage: ami-0123456789abcdef0\nInstance type: t3.micro\nPublic IP: 203.0.113.9',
      '*Count*\n3',
      '*Severity*\nHigh 8.0',
      '*First seen*\n2026-01-15 10:00 UTC',
      '*Last seen*\n2026-01-15 10:00 UTC',
    ]);
    expect(blocks[3]).toMatchObject({ text: { text: 'Someone guesses passwords.' } });
    expect(JSON.stringify(blocks[4])).toContain(`<${url}|Open in GuardDuty console>`);
    expect(url).toContain('fId=find-1');
    expectWithinLimits([message!]);
  });

  it('puts the note at the top as a context block', () => {
    const note = (destination: string) =>
      destination === 'security' ? 'Sent to security because team-a answered 404 channel_not_found' : undefined;

    const [message] = renderMessages([makeRoutedFinding('security')], config, { note });

    expect(blocksOf(message!)[0]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Sent to security because team-a answered 404 channel_not_found' }],
    });
  });

  it('leaves out the description section when there is none', () => {
    const [message] = renderMessages([makeRoutedFinding('security', { description: '' })], config);

    expect(blocksOf(message!).map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
  });
});

describe('renderMessages: escaping', () => {
  const hostile = '<!channel> <https://evil.example|click> & <@U123> > <';

  it('escapes &, < and > from every finding field, in single messages', () => {
    // Arrange
    const routed = makeRoutedFinding('security', accessKey({ userName: '<!here>', accessKeyId: 'AKIA&1' }), {
      title: hostile,
      description: hostile,
      type: 'Backdoor:EC2/C&CActivity.B!DNS',
      region: '<!everyone>',
      id: '<!channel>&x',
    });

    // Act
    const [message] = renderMessages([routed], config);

    // Assert
    const all = textsOf(message!.payload).join('\n');
    expect(all).not.toMatch(/<!|<@|<https:\/\/evil/);
    expect(all).toContain('&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; &lt;@U123&gt; &gt; &lt;');
    expect(all).toContain('Backdoor:EC2/C&amp;CActivity.B!DNS');
    expect(all).toContain('AKIA&amp;1 (&lt;!here&gt;)');
    expect(all).toContain('fId=%3C!channel%3E%26x');
    expectWithinLimits([message!]);
  });

  it('escapes finding fields in digest lines and the account name from config', () => {
    const named = makeHubConfig({
      accounts: { '222222222222': { name: 'a<b>&c', destination: 'team-a' } },
      delivery: { digestThreshold: 1 },
    });
    const routed = many(2, 'team-a', () => ({ ...forAccount('222222222222'), title: hostile }));

    const messages = renderMessages(routed, named);

    const all = messages.flatMap((m) => textsOf(m.payload)).join('\n');
    expect(messages.map((m) => m.kind)).toEqual(['digest']);
    expect(all).not.toMatch(/<!|<@|<https:\/\/evil/);
    expect(all).toContain('a&lt;b&gt;&amp;c (222222222222)');
    expectWithinLimits(messages);
  });

  it('escapes the note', () => {
    const [message] = renderMessages([makeRoutedFinding('security')], config, { note: () => 'team <!channel> & co' });

    expect(blocksOf(message!)[0]).toMatchObject({ elements: [{ text: 'team &lt;!channel&gt; &amp; co' }] });
  });

  it('escapeEntities escapes exactly &, < and >', () => {
    expect(escapeEntities('a & b < c > d "e" \'f\' *g*')).toBe('a &amp; b &lt; c &gt; d "e" \'f\' *g*');
  });

  it('escapeSlack also puts a zero-width space either side of every *, ~ and backtick, and of an underscore at a word edge', () => {
    const hidden = (text: string) => text.replaceAll('\u200B', '·');

    expect(hidden(escapeSlack('*bold* _it_ ~strike~ `code` & <!channel>'))).toBe(
      '·*·bold·*· ·_·it·_· ·~·strike·~· ·`·code·`· &amp; &lt;!channel&gt;',
    );
    expect(escapeSlack('AWSReservedSSO_Admin_0a1b role/snake_case_name')).toBe(
      'AWSReservedSSO_Admin_0a1b role/snake_case_name',
    );
    expect(escapeSlack('__init__').replaceAll('\u200B', '')).toBe('__init__');
  });

  it('codeSpan shows text as it is in monospace: entities escaped, a backtick a look-alike that cannot end the span', () => {
    expect(codeSpan('*a* _b_ <!here> `c`')).toBe('`*a* _b_ &lt;!here&gt; \u02CBc\u02CB`');
  });
});

describe('renderMessages: truncation', () => {
  it('cuts a 10,000-character description to one section, with an ellipsis', () => {
    const [message] = renderMessages([makeRoutedFinding('security', { description: 'x'.repeat(10_000) })], config);

    const description = blocksOf(message!)[3] as { text: { text: string } };
    expect(description.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionTextChars);
    expect(description.text.text.endsWith('x…')).toBe(true);
    expectWithinLimits([message!]);
  });

  it('never cuts between a neutralised marker and its zero-width spaces', () => {
    const [message] = renderMessages([makeRoutedFinding('security', { description: '*'.repeat(10_000) })], config);

    const text = (blocksOf(message!)[3] as { text: { text: string } }).text.text;
    expect(text).toMatch(/^(?:\u200B\*\u200B)+…$/);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionTextChars);
  });

  it('never cuts inside an escape sequence', () => {
    const [message] = renderMessages([makeRoutedFinding('security', { description: '&'.repeat(10_000) })], config);

    const text = (blocksOf(message!)[3] as { text: { text: string } }).text.text;
    expect(text).toMatch(/^(?:&amp;)+…$/);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionTextChars);
  });

  it('keeps the title link whole when the title is huge', () => {
    const routed = makeRoutedFinding('security', { title: '<'.repeat(10_000) });

    const [message] = renderMessages([routed], config);

    const title = (blocksOf(message!)[1] as { text: { text: string } }).text.text;
    expect(title).toMatch(
      new RegExp(`^\\*<${routed.finding.consoleUrl.replace(/[.?*+^$()|[\]\\]/g, '\\$&')}\\|(?:&lt;)+…>\\*$`),
    );
    expect(message!.payload.text.length).toBeLessThanOrEqual(SLACK_LIMITS.topLevelTextChars);
    expectWithinLimits([message!]);
  });

  it('truncateMrkdwn cuts between tokens: never a link, an entity or a surrogate pair', () => {
    const link = '<https://example.com/a|label>';

    expect(truncateMrkdwn(`${'a'.repeat(8)}&amp;b`, 10)).toBe('aaaaaaaa…');
    expect(truncateMrkdwn(`ab ${link} tail`, 20)).toBe('ab…');
    expect(truncateMrkdwn('😀😀😀', 4)).toBe('😀…');
    expect(escapeTruncated('fits & all', 100)).toBe('fits &amp; all');
  });
});

describe('renderMessages: singles or digests', () => {
  it.each([
    [5, 5, ['single', 'single', 'single', 'single', 'single']],
    [6, 5, ['digest']],
    [1, 0 + 1, ['single']],
    [2, 1, ['digest']],
  ])('renders %d findings with digestThreshold %d as %j', (count, digestThreshold, kinds) => {
    const messages = renderMessages(many(count), makeHubConfig({ delivery: { digestThreshold } }));

    expect(messages.map((m) => m.kind)).toEqual(kinds);
    expectWithinLimits(messages);
  });

  it('decides per destination', () => {
    const routed = [...many(6, 'security'), ...many(2, 'team-a')];

    const messages = renderMessages(routed, config);

    expect(messages.map((m) => `${m.destination}:${m.kind}`)).toEqual([
      'security:digest',
      'team-a:single',
      'team-a:single',
    ]);
  });

  it('sends singles highest severity first', () => {
    const routed = [2, 9, 5].map((s) => makeRoutedFinding('security', atSeverity(s)));

    const messages = renderMessages(routed, config);

    expect(messages.map((m) => m.findings[0]?.finding.severity)).toEqual([9, 5, 2]);
  });
});

describe('renderMessages: digests', () => {
  const digestConfig = makeHubConfig({ delivery: { digestThreshold: 5, maxFindingsPerMessage: 20 } });

  it('summarizes counts per band and lists findings highest severity first, then newest', () => {
    // Arrange
    const routed = [
      makeRoutedFinding('security', atSeverity(5), { title: 'medium-old', updatedAt: '2026-01-01T00:00:00Z' }),
      makeRoutedFinding('security', atSeverity(8), { title: 'high' }),
      makeRoutedFinding('security', atSeverity(5), { title: 'medium-new', updatedAt: '2026-01-02T00:00:00Z' }),
      ...many(9, 'security', () => ({ ...atSeverity(4.5), title: 'filler' })),
      makeRoutedFinding('security', atSeverity(7.5), { title: 'high-lower' }),
    ];

    // Act
    const [message, ...rest] = renderMessages(routed, digestConfig);

    // Assert
    expect(rest).toEqual([]);
    const texts = textsOf(message!.payload);
    expect(texts).toContain('*13 findings: 2 High, 11 Medium*\nHighest severity first, then newest.');
    const order = message!.findings.map((r) => r.finding.title).slice(0, 4);
    expect(order).toEqual(['high', 'high-lower', 'medium-new', 'medium-old']);
    const lines = texts
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('*High') || l.startsWith('*Medium'));
    expect(lines[0]).toBe(
      `*High 8.0* <${routed[1]!.finding.consoleUrl}|high> · ${routed[1]!.finding.accountId} · us-east-1 · ${routed[1]!.finding.resource.label} · ×1`,
    );
    expect(message!.payload.attachments[0]?.color).toBe('#E8743B');
  });

  it('splits 95 findings into 5 messages of at most 20, each saying part i of 5', () => {
    // Arrange
    const routed = many(95, 'security', (i) => atSeverity(1 + (i % 90) / 10));

    // Act
    const messages = renderMessages(routed, makeHubConfig({ defaults: { minSeverity: 'low' } }));

    // Assert
    expect(messages.map((m) => m.findings.length)).toEqual([20, 20, 20, 20, 15]);
    messages.forEach((message, i) => {
      expect(message.kind).toBe('digest');
      expect(message.payload.text).toContain(`(part ${i + 1} of 5)`);
      expect(textsOf(message.payload).join('\n')).toContain(
        `Part ${i + 1} of 5: findings ${i * 20 + 1}–${i * 20 + message.findings.length}`,
      );
    });
    expect(messages.flatMap((m) => m.findings)).toHaveLength(95);
    expect(new Set(messages.flatMap((m) => m.findings))).toEqual(new Set(routed));
    expect(messages.map((m) => m.payload.attachments[0]?.color)).toEqual([
      '#B8122B',
      '#E8743B',
      '#F2C744',
      '#7CD197',
      '#7CD197',
    ]);
    expectWithinLimits(messages);
  });

  it('splits further when long lines would pass 50 blocks, still within limits', () => {
    const wide = makeHubConfig({ delivery: { digestThreshold: 1, maxFindingsPerMessage: 45 } });
    const routed = many(200, 'security', () => ({ title: '&'.repeat(5000) }));

    const messages = renderMessages(routed, wide);

    expect(messages.flatMap((m) => m.findings)).toHaveLength(200);
    expect(Math.max(...messages.map((m) => m.findings.length))).toBeLessThanOrEqual(45);
    expectWithinLimits(messages);
  });

  it('links every finding in a digest to the console with its id', () => {
    const routed = many(30);

    const messages = renderMessages(routed, digestConfig);

    for (const message of messages) {
      const all = textsOf(message.payload).join('\n');
      for (const { finding } of message.findings) expect(all).toContain(`<${finding.consoleUrl}|`);
    }
  });

  it('puts the note on every part', () => {
    const messages = renderMessages(many(45), digestConfig, { note: () => 'rerouted' });

    expect(messages).toHaveLength(3);
    for (const message of messages)
      expect(blocksOf(message)[0]).toMatchObject({ type: 'context', elements: [{ text: 'rerouted' }] });
  });
});

describe('renderMessages with random hostile findings (property-style)', () => {
  /** A small deterministic PRNG (mulberry32), so failures reproduce. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const PIECES = [
    '<!channel>',
    '<https://x|y>',
    '&',
    '&amp;',
    '<',
    '>',
    '|',
    '*bold*',
    '_',
    '`',
    '\n',
    '😀',
    '\u{1F468}\u200D\u{1F469}',
    'é',
    ' ',
    'word',
    '<@U1>',
  ];

  /** Hostile text that is not blank (ids, types and accounts must have a visible character). */
  function visible(next: () => number, maxPieces: number): string {
    return `${hostileText(next, maxPieces)}v`;
  }

  function hostileText(next: () => number, maxPieces: number): string {
    const length = Math.floor(next() ** 3 * maxPieces);
    return Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
  }

  it('renders every batch within Slack limits, each finding once with its console link', () => {
    const next = random(20260115);
    for (let round = 0; round < 40; round += 1) {
      // Arrange
      const size = 1 + Math.floor(next() * 60);
      const routed = Array.from({ length: size }, (_, i) =>
        makeRoutedFinding(next() < 0.5 ? 'security' : 'team-a', {
          id: `${round}-${i}-${hostileText(next, 5)}`,
          title: hostileText(next, 4000),
          description: hostileText(next, 6000),
          type: visible(next, 50),
          region: next() < 0.9 ? 'us-east-1' : visible(next, 20),
          severity: 1 + next() * 9,
          accountId: next() < 0.5 ? '222222222222' : visible(next, 30),
          service: { count: 1 + Math.floor(next() * 1e6) },
          ...accessKey({ userName: visible(next, 500), principalId: visible(next, 2000) }),
        }),
      );
      const cfg = makeHubConfig({
        delivery: { digestThreshold: 1 + Math.floor(next() * 10), maxFindingsPerMessage: 1 + Math.floor(next() * 45) },
      });

      // Act
      const messages = renderMessages(routed, cfg, {
        note: () => (next() < 0.5 ? hostileText(next, 4000) : undefined),
      });

      // Assert
      expectWithinLimits(messages);
      expect(messages.flatMap((m) => m.findings).length).toBe(routed.length);
      for (const message of messages) {
        const all = textsOf(message.payload).join('\n');
        for (const { finding } of message.findings) expect(all).toContain(`<${finding.consoleUrl}|`);
      }
    }
  });
});

describe('validatePayload', () => {
  const ok: SlackPayload = {
    text: 'hi',
    attachments: [{ color: '#000000', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }] }],
  };
  const withBlocks = (...blocks: Record<string, unknown>[]): SlackPayload => ({
    text: 'hi',
    attachments: [{ color: '#000000', blocks }],
  });
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('accepts a small valid payload', () => {
    expect(validatePayload(ok)).toEqual([]);
  });

  it.each([
    ['not an object', 'x', /payload must be a JSON object/],
    ['no text', { attachments: [] }, /^text: must be a non-empty string/],
    ['a long text', { text: 'x'.repeat(4001) }, /^text: 4001 characters, over Slack's 4000/],
    ['51 blocks', withBlocks(...Array.from({ length: 51 }, () => section('x'))), /^51 blocks, over Slack's 50/],
    [
      'a long section',
      withBlocks(section('x'.repeat(3001))),
      /blocks\[0\]\.text\.text: 3001 characters, over Slack's 3000/,
    ],
    [
      '11 fields',
      withBlocks({ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }),
      /11 fields, over Slack's 10/,
    ],
    [
      'a long field',
      withBlocks({ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }),
      /fields\[0\]\.text: 2001 characters/,
    ],
    [
      'a long header',
      withBlocks({ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }),
      /151 characters, over Slack's 150/,
    ],
    [
      'a mrkdwn header',
      withBlocks({ type: 'header', text: { type: 'mrkdwn', text: 'h' } }),
      /text\.type: must be plain_text/,
    ],
    ['an unescaped mention', withBlocks(section('hi <!channel>')), /unescaped < >/],
    ['a bare ampersand', withBlocks(section('a & b')), /unescaped &/],
    ['an empty section', withBlocks({ type: 'section' }), /a section needs text or fields/],
    ['an unknown block', withBlocks({ type: 'banner' }), /unknown block type "banner"/],
    [
      '11 context elements',
      withBlocks({ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }),
      /11 elements/,
    ],
  ])('reports %s', (_case, payload, problem) => {
    expect(validatePayload(payload)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('accepts links, entities and raw & inside link URLs', () => {
    expect(validatePayload(withBlocks(section('<https://a.example/?x=1&y=2|a &amp; b> &lt;!channel&gt;')))).toEqual([]);
  });
});

describe('slackLink', () => {
  it('links an encoded URL and falls back to the label for a URL that cannot be a link', () => {
    expect(slackLink('https://a.example/?q=1&r=2', 'x & y', 50)).toBe('<https://a.example/?q=1&r=2|x &amp; y>');
    expect(slackLink('https://a.example/|<!channel>', 'label', 50)).toBe('label');
  });

  it('links a URL of MAX_LINK_URL_CHARS and gives the label alone for a longer one, which no section could hold', () => {
    const url = (length: number) =>
      `https://s3.console.aws.amazon.com/s3/object/b?prefix=${'%F0'.repeat(length)}`.slice(0, length);

    expect(slackLink(url(MAX_LINK_URL_CHARS), 'object', 50)).toBe(`<${url(MAX_LINK_URL_CHARS)}|object>`);
    expect(slackLink(url(MAX_LINK_URL_CHARS + 1), 'object & key', 50)).toBe('object &amp; key');
  });
});
