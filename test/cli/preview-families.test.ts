import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withCommandContext } from '../../cli/aws/index.ts';
import { main } from '../../cli/main.ts';
import { validatePayload } from '../../consumer/render/index.ts';
import { EXAMPLE_CONFIG_PATH } from '../../shared/index.ts';
import { makeScanResultEvent } from '../factories/index.ts';
import { FAMILIES, findingEnvelope, generateFamilies } from '../model/families.ts';

// `preview` over one event of every family (generated from the API model) and scan results.

afterEach(() => {
  vi.restoreAllMocks();
});

async function preview(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: (async function* () {})(),
  };
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => ((stdout += String(text)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => ((stderr += String(text)), true));
  const code = await withCommandContext({ io, env: { HUB_CONFIG: EXAMPLE_CONFIG_PATH } }, () => main(['node', 'guardduty-hub', 'preview', path]));
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('preview of every finding family', () => {
  it('prints one payload per family within Slack limits and names each message’s type and resource', async () => {
    // Arrange: severity ≥ 4 so that the example config's defaults (Medium) let every one through
    const generated = generateFamilies({ firstSeed: 4000 });
    const events = [...generated.map((g, i) => findingEnvelope(g.detail, i)), makeScanResultEvent({ key: 'x/evil.exe' }), makeScanResultEvent({ threats: [] })];
    const path = join(mkdtempSync(join(tmpdir(), 'preview-families-')), 'families.ndjson');
    writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n'));

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
