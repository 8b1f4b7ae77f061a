import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockToHtml, mrkdwnToHtml } from '../../cli/preview/index.ts';
import { EXAMPLE_CONFIG_PATH, findingConsoleUrl } from '../../shared/index.ts';
import { atSeverity, forAccount, makeFindingEvent, type FindingEvent } from '../factories/index.ts';
import { runCli } from '../support/cli-run.ts';

/** The only elements the page may contain: its own layout, never anything from a finding. */
const PAGE_TAGS = new Set([
  '!doctype',
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'h1',
  'p',
  'article',
  'div',
  'span',
  'a',
  'strong',
  'em',
  'del',
  'code',
  'br',
  'hr',
  'ul',
  'li',
  'pre',
]);

const tagsIn = (html: string): Set<string> =>
  new Set([...html.matchAll(/<\/?([!a-z][a-z0-9]*)/gi)].map((m) => m[1]!.toLowerCase()));

async function previewHtml(
  events: readonly FindingEvent[],
): Promise<{ exitCode: number; html: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'preview-html-'));
  const input = join(dir, 'events.ndjson');
  writeFileSync(input, events.map((event) => JSON.stringify(event)).join('\n'));
  const output = join(dir, 'preview.html');
  const run = await runCli(['preview', '--html', output, input], { env: { HUB_CONFIG: EXAMPLE_CONFIG_PATH } });
  return { exitCode: run.exitCode, html: run.exitCode === 0 ? readFileSync(output, 'utf8') : '', stderr: run.stderr };
}

describe('mrkdwnToHtml', () => {
  it('keeps http(s) links and shows other link targets as text', () => {
    expect(mrkdwnToHtml('<https://console.aws.amazon.com/x?a=1&amp;b=2|open &lt;it&gt;>')).toBe(
      '<a href="https://console.aws.amazon.com/x?a=1&amp;b=2">open &lt;it&gt;</a>',
    );
    expect(mrkdwnToHtml('<javascript:alert(1)|click>')).toBe('click');
  });

  it('renders bold, italic, code and line breaks, and decodes then re-escapes Slack entities', () => {
    expect(mrkdwnToHtml('*Type* _x_ `a&amp;b`\nR&amp;D &lt;b&gt;')).toBe(
      '<strong>Type</strong> <em>x</em> <code>a&amp;b</code><br>R&amp;D &lt;b&gt;',
    );
  });

  it('shows a special mention as text, never as a live mention', () => {
    expect(mrkdwnToHtml('<!channel> hi')).toBe('<span class="mention">@channel</span> hi');
  });
});

describe('blockToHtml', () => {
  it('shows a block type it does not know as escaped JSON', () => {
    expect(blockToHtml({ type: 'video', title: '<b>' })).toContain('&quot;title&quot;: &quot;&lt;b&gt;&quot;');
  });
});

describe('guardduty-hub preview --html', () => {
  it('shows one finding with its colour bar, header, fields and a link to the console', async () => {
    const event = makeFindingEvent({
      detail: { ...forAccount('222222222222'), ...atSeverity(8), title: 'Preview me' },
    });

    const { exitCode, html } = await previewHtml([event]);

    expect(exitCode).toBe(0);
    expect(html).toContain('border-left-color: #E8743B'); // high, colors.high of the example config
    expect(html).toMatch(/<div class="header">High 8\.0/);
    expect(html).toMatch(/<strong><a href="[^"]+">Preview me<\/a><\/strong>/);
    expect(html).toContain('<div class="fields">');
    expect(html).toContain(`href="${findingConsoleUrl(event.detail.region, event.detail.id).replace(/&/g, '&amp;')}"`);
    expect(html).toContain('→ #team-a · single · 1 finding');
  });

  it('escapes everything taken from a finding: no element or attribute of its own reaches the page', async () => {
    const hostile =
      '<script>alert(1)</script> "><img src=x onerror=alert(2)> <!channel> <https://evil.example|phish> & *';
    const event = makeFindingEvent({
      detail: { ...atSeverity(9), title: hostile, description: hostile, type: `Recon:EC2/${hostile}` },
    });

    const { exitCode, html } = await previewHtml([event]);

    expect(exitCode).toBe(0);
    expect([...tagsIn(html)].filter((tag) => !PAGE_TAGS.has(tag))).toEqual([]);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).not.toContain('href="https://evil.example"');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows a digest: many findings for one destination in one message', async () => {
    const events = Array.from({ length: 8 }, (_, i) =>
      makeFindingEvent({ detail: { ...atSeverity(5 + (i % 4)), title: `Finding ${i}` } }),
    );

    const { exitCode, html } = await previewHtml(events);

    expect(exitCode).toBe(0);
    expect(html.match(/<article/g)).toHaveLength(1);
    expect(html).toContain('→ #security · digest · 8 findings');
    for (let i = 0; i < 8; i++) expect(html).toContain(`Finding ${i}`);
  });

  it('exits 2 naming the file when it cannot write the page', async () => {
    const input = join(mkdtempSync(join(tmpdir(), 'preview-html-')), 'one.json');
    writeFileSync(input, JSON.stringify(makeFindingEvent()));

    const run = await runCli(['preview', '--html', '/nonexistent/dir/p.html', input], {
      env: { HUB_CONFIG: EXAMPLE_CONFIG_PATH },
    });

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('guardduty-hub: --html /nonexistent/dir/p.html: cannot write the file (ENOENT)');
  });
});
