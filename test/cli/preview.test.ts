import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withCommandContext } from '../../cli/aws/index.ts';
import { main } from '../../cli/main.ts';
import { validatePayload } from '../../destinations/slack/render/index.ts';
import { EXAMPLE_CONFIG_PATH } from '../../shared/index.ts';
import { atSeverity, forAccount, makeFindingEvent, makeScanResultEvent } from '../factories/index.ts';
import { FAMILIES, findingEnvelope, generateFamilies } from '../model/families.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Runs `guardduty-hub preview …args` with captured streams and the example config. `main()` itself
 * reports errors, and commander prints help, on the process streams, so those are captured too.
 */
async function preview(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: (async function* () {})(),
  };
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
    stdout += String(text);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    stderr += String(text);
    return true;
  });
  const code = await withCommandContext({ io, env: { HUB_CONFIG: EXAMPLE_CONFIG_PATH } }, () =>
    main(['node', 'guardduty-hub', 'preview', ...args]),
  );
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

function file(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'preview-')), name);
  writeFileSync(path, content);
  return path;
}

/** Splits concatenated pretty-printed JSON documents. */
function documents(text: string): unknown[] {
  return text
    .split(/\n(?=\{)/)
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => JSON.parse(chunk));
}

describe('guardduty-hub preview', () => {
  it('prints the Slack payload for one finding and says where it goes', async () => {
    // Arrange: member1 (222222222222) goes to team-a in the example config
    const event = makeFindingEvent({
      detail: { ...forAccount('222222222222'), ...atSeverity(8), title: 'Preview me' },
    });

    // Act
    const { code, stdout, stderr } = await preview(file('one.json', JSON.stringify(event)));

    // Assert
    expect(code).toBe(0);
    const [payload, ...rest] = documents(stdout);
    expect(rest).toEqual([]);
    expect(payload).toMatchObject({ text: 'High GuardDuty finding in member1 (222222222222) us-east-1: Preview me' });
    expect(validatePayload(payload)).toEqual([]);
    expect(stderr).toContain('→ team-a (single, 1 finding)');
  });

  it('says on stderr why a finding would be skipped', async () => {
    const event = makeFindingEvent({ detail: { ...forAccount('333333333333'), ...atSeverity(5) } });

    const { code, stdout, stderr } = await preview(file('low.json', JSON.stringify(event)));

    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/would be skipped: below-threshold \(severity 5 is below 7 for account 333333333333\)/);
  });

  it('prints only destinations with --destination-only', async () => {
    const events = [
      makeFindingEvent({ detail: { id: 'a1', ...forAccount('222222222222') } }),
      makeFindingEvent({ detail: { id: 'b2' } }),
    ];

    const { code, stdout } = await preview(
      '--destination-only',
      file('two.ndjson', events.map((e) => JSON.stringify(e)).join('\n')),
    );

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({ findingId: 'a1', destination: 'team-a' }),
      expect.objectContaining({ findingId: 'b2', destination: 'security' }),
    ]);
  });

  it('rejects a file that is not JSON with exit 2', async () => {
    const { code, stderr } = await preview(file('bad.json', 'not json at all'));

    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.json:1: is not JSON/);
  });

  it('rejects a missing file with exit 2', async () => {
    const { code, stderr } = await preview('/nonexistent/finding.json');

    expect(code).toBe(2);
    expect(stderr).toContain('no such file');
  });

  it('rejects an event that is not a GuardDuty finding with exit 2 and the reason', async () => {
    const { code, stderr } = await preview(file('partial.json', JSON.stringify({ region: 'us-east-1', detail: {} })));

    expect(code).toBe(2);
    expect(stderr).toContain('source is missing');
  });

  it('exits 1 when only some events are findings, after printing the rest', async () => {
    const content = [JSON.stringify(makeFindingEvent()), JSON.stringify({ source: 'aws.ec2' })].join('\n');

    const { code, stdout } = await preview(file('mixed.ndjson', content));

    expect(code).toBe(1);
    expect(documents(stdout)).toHaveLength(1);
  });

  it('shows help whose exit codes are the ones the cases above give (1 when some are not findings, 2 when none is)', async () => {
    const { code, stdout } = await preview('--help');

    expect(code).toBe(0);
    expect(stdout).toContain('--destination-only');
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      'Exit status: 0 ok (skips included), 1 some of the events are not GuardDuty findings, 2 none of them is',
    );
  });
});

// One event of every family (generated from the API model) and scan results.
describe('preview of every finding family', () => {
  it('prints one payload per family within Slack limits and names each message’s type and resource', async () => {
    // Arrange: severity ≥ 4 so that the example config's defaults (Medium) let every one through
    const generated = generateFamilies({ firstSeed: 4000 });
    const events = [
      ...generated.map((g, i) => findingEnvelope(g.detail, i)),
      makeScanResultEvent({ key: 'x/evil.exe' }),
      makeScanResultEvent({ threats: [] }),
    ];
    const path = file('families.ndjson', events.map((e) => JSON.stringify(e)).join('\n'));

    // Act
    const { code, stdout, stderr } = await preview(path);

    // Assert
    expect(code).toBe(0);
    const payloads = stdout.split(/\n(?=\{)/).map((doc) => JSON.parse(doc) as unknown);
    expect(payloads.length).toBeGreaterThanOrEqual(1);
    for (const payload of payloads) expect(validatePayload(payload)).toEqual([]);
    for (const family of FAMILIES) expect(stderr).toContain(`#   ${family.type} · ${family.resourceType}: `);
    expect(stderr).toContain('#   ScanResult:S3/THREATS_FOUND · S3Object: object s3://uploads-bucket/x/evil.exe');
    expect(stderr).toMatch(/would be skipped: no-threats \(S3 object scan found no threats\)/);
  });
});
