import { afterEach, describe, expect, it } from 'vitest';
import { parseRecord } from '../../core/kinds/index.ts';
import { escapeSlack, renderMessages, renderSingle, validatePayload } from '../../destinations/slack/render/index.ts';
import type { Finding } from '../../core/types.ts';
import type { SlackPayload } from '../../destinations/slack/render/types.ts';
import { makeHubConfig, makeScanResultEvent, makeSqsRecord } from '../factories/index.ts';
import { FAMILIES, findingEnvelope, generateFamilies, generatePerResourceMember } from '../model/families.ts';
import { HOSTILE_SUFFIX } from '../model/instantiate.ts';
import { startConsumerHarness, type ConsumerHarness } from '../support/consumer-harness.ts';

// Every family the model-driven generator covers, parsed and rendered as the consumer does: within
// Slack's limits (validatePayload, the simulator's own check), naming its resource, escaped, one
// message per finding.

const config = makeHubConfig({ delivery: { digestThreshold: 100, messagesPerSecond: 50, burst: 50 } });

function parse(detail: Record<string, unknown>): Finding {
  const result = parseRecord(JSON.stringify(findingEnvelope(detail)));
  if (!result.ok) throw new Error(result.reason);
  return result.finding;
}

function render(finding: Finding): SlackPayload {
  return renderSingle({ finding, destination: 'security', messageIds: ['m-1'] }, config);
}

/** Every mrkdwn and plain text of a payload, and the Resource field's text. */
function textsOf(payload: SlackPayload): string[] {
  const out: string[] = [payload.text];
  for (const block of payload.attachments[0]!.blocks) {
    const b = block as { text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] };
    if (b.text) out.push(b.text.text);
    for (const field of b.fields ?? []) out.push(field.text);
    for (const element of b.elements ?? []) out.push(element.text);
  }
  return out;
}

function resourceField(payload: SlackPayload): string {
  const field = textsOf(payload).find((text) => text.startsWith('*Resource*\n'));
  if (field === undefined) throw new Error('no Resource field');
  return field;
}

describe('every generated finding family', () => {
  const generated = generateFamilies();

  it('covers every family of the generator with a distinct id and a distinct resource', () => {
    expect(generated.map((g) => g.spec.family)).toEqual(FAMILIES.map((f) => f.family));
    expect(new Set(generated.map((g) => g.detail.id)).size).toBe(generated.length);
    expect(new Set(generated.map((g) => parse(g.detail).resource.label)).size).toBe(generated.length);
  });

  it.each(generated.map((g) => [g.spec.family, g] as const))(
    '%s renders within Slack limits and names its resource specifically',
    (_family, { spec, detail }) => {
      // Act
      const finding = parse(detail);
      const payload = render(finding);

      // Assert
      expect(validatePayload(payload)).toEqual([]);
      expect(finding.resource.label).not.toBe(spec.resourceType);
      const line = resourceField(payload);
      for (const name of spec.names(detail)) expect(line).toContain(escapeSlack(name));
    },
  );

  it.each(generateFamilies({ hostile: true, firstSeed: 1000 }).map((g) => [g.spec.family, g] as const))(
    '%s escapes every text taken from the finding',
    (_family, { detail }) => {
      // Act
      const payload = render(parse(detail));

      // Assert: validatePayload flags any bare <, > or &; the control text arrives as text only
      expect(validatePayload(payload)).toEqual([]);
      const all = textsOf(payload).join('\n');
      expect(all).not.toContain('<!channel>');
      expect(all).not.toContain('<https://evil.example|click>');
      expect(all).not.toMatch(/\*bold\*|_it_|~strike~|`code`/);
      expect(all).toContain(escapeSlack(HOSTILE_SUFFIX.trim()));
    },
  );

  it('never merges distinct findings into one message', () => {
    // Arrange
    const routed = generated.map(({ detail }, i) => ({
      finding: parse(detail),
      destination: 'security',
      messageIds: [`m-${i}`],
    }));

    // Act
    const messages = renderMessages(routed, config);

    // Assert
    expect(messages).toHaveLength(generated.length);
    expect(messages.map((m) => m.findings.map((f) => f.finding.id))).toEqual(
      expect.arrayContaining(generated.map((g) => [g.detail.id])),
    );
  });
});

describe('every resource member of the API model', () => {
  it.each(generatePerResourceMember().map((g) => [g.member, g] as const))(
    '%s alone gets a label naming it, not its type',
    (member, { detail }) => {
      // Act
      const { resource } = parse(detail);

      // Assert
      const type = (detail.resource as { resourceType: string }).resourceType;
      expect(resource.label).not.toBe(type);
      expect(resource.label).toMatch(new RegExp(`${member}|-\\d+-\\d|arn:|\\d+\\.\\d+\\.\\d+\\.\\d+|[0-9a-f]{64}`));
    },
  );
});

describe('family details in the message', () => {
  const byFamily = Object.fromEntries(generateFamilies({ firstSeed: 2000 }).map((g) => [g.spec.family, g.detail]));
  const textOf = (family: string) => textsOf(render(parse(byFamily[family]!))).join('\n');

  it('shows the threat names and item paths of a Malware Protection for S3 finding', () => {
    const detail = byFamily['s3-object-malware']!;
    const threats = (
      detail.service as { malwareScanDetails: { threats: { name: string; itemPaths: { nestedItemPath: string }[] }[] } }
    ).malwareScanDetails.threats;
    expect(textOf('s3-object-malware')).toContain(`${threats[0]!.name} in ${threats[0]!.itemPaths[0]!.nestedItemPath}`);
  });

  it('shows the scanned volumes and the threats of an EBS malware finding', () => {
    const text = textOf('ebs-volume-malware');
    expect(text).toMatch(/\*Scanned\* \(2\)\n• arn:aws:[^\n]*volumeArn/);
    expect(text).toMatch(/\*Threats\* \(\d+\)\n• name-/);
  });

  it('shows the process, its executable, hash and parent for a runtime finding', () => {
    const process = (byFamily['eks-runtime']!.service as { runtimeDetails: { process: Record<string, unknown> } })
      .runtimeDetails.process;
    const text = textOf('eks-runtime');
    expect(text).toContain(`*Process*\n${String(process.name)} (pid ${String(process.pid)})`);
    expect(text).toContain(`*Executable*\n${String(process.executablePath)}`);
    expect(text).toContain(`*SHA-256*\n${String(process.executableSha256)}`);
    expect(text).toMatch(/\*Parent\*\nname-\d+-0 \(executablePath-/);
  });

  it('links an ordinary finding to the attack sequence it belongs to', () => {
    const arn = String(byFamily['in-sequence']!.associatedAttackSequenceArn);
    const id = arn.split('/finding/')[1]!;
    expect(textOf('in-sequence')).toMatch(
      new RegExp(`\\*Part of an attack sequence:\\* <https://[^|]+fId=${id}\\|attack sequence ${id}>`),
    );
  });
});

describe('the families through the handler and the Slack simulator', () => {
  let harness: ConsumerHarness | undefined;
  afterEach(async () => harness?.close());

  it('delivers one accepted message per finding and per scan result with threats, each naming only itself', async () => {
    // Arrange
    harness = await startConsumerHarness(config, { ratePerSecond: 50, burst: 50 });
    const details = generateFamilies({ firstSeed: 3000 });
    const scan = makeScanResultEvent({ key: 'uploads/<invoice>&.pdf.exe' });
    const records = [...details.map((g, i) => makeSqsRecord(findingEnvelope(g.detail, i))), makeSqsRecord(scan)];

    // Act
    const response = await harness.invoke(records);

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    const bodies = harness.received('security');
    expect(bodies).toHaveLength(details.length + 1);
    const ids = [...details.map((g) => String(g.detail.id)), String(scan.id)];
    for (const id of ids) expect(bodies.filter((body) => body.includes(id))).toHaveLength(1);
    expect(harness.simulator.requests.every((request) => request.status === 200)).toBe(true);
  });
});
