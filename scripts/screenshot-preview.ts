import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  accessKey,
  atSeverity,
  forAccount,
  makeFindingEvent,
  s3Bucket,
  type FindingEvent,
} from '../test/factories/index.ts';
import { REPO_ROOT } from '../stacks/bundle/index.ts';
import { isEntryPoint } from './entry.ts';

/**
 * `npx tsx scripts/screenshot-preview.ts`: the README's two pictures of `preview --html` (one finding,
 * one digest), made by the CLI itself from factory events with config/example.yml and screenshotted
 * by headless Chromium (Debian: `apt-get install chromium`; `CHROMIUM` names another binary). The
 * page loads nothing from the network (its CSP allows only inline styles), and Chromium runs with a
 * fresh profile and its background networking off.
 */

/** One picture: the events it shows and the window it is taken in (CSS pixels). */
interface Shot {
  readonly file: string;
  readonly events: readonly FindingEvent[];
  readonly height: number;
}

const SHOTS: readonly Shot[] = [
  {
    file: 'docs/preview-finding.png',
    events: [makeFindingEvent({ detail: { ...forAccount('222222222222'), ...atSeverity(8), region: 'us-west-1' } })],
    height: 520,
  },
  {
    file: 'docs/preview-digest.png',
    events: [
      ...Array.from({ length: 4 }, () => makeFindingEvent({ detail: atSeverity(5) })),
      makeFindingEvent({
        detail: {
          ...atSeverity(8),
          type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
          title: 'Credentials for instance role web-prod used from an external IP address.',
          ...accessKey(),
        },
      }),
      makeFindingEvent({
        detail: {
          ...atSeverity(7.5),
          type: 'Policy:S3/BucketBlockPublicAccessDisabled',
          title: 'Amazon S3 Block Public Access was disabled for bucket example-logs.',
          ...s3Bucket({ buckets: ['example-logs'] }),
        },
      }),
      makeFindingEvent({
        detail: {
          ...atSeverity(4),
          type: 'Recon:EC2/Portscan',
          title: 'EC2 instance i-0abc000042 is performing outbound port scans.',
        },
      }),
    ],
    height: 570,
  },
];

/** The flags the brief and Chromium's headless docs give for a quiet, isolated run. */
function chromiumArgs(profile: string, html: string, png: string, height: number): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--hide-scrollbars',
    '--force-device-scale-factor=1',
    `--window-size=820,${height}`,
    `--screenshot=${png}`,
    pathToFileURL(html).href,
  ];
}

function run(file: string, args: readonly string[], cwd: string): void {
  const result = spawnSync(file, args, { cwd, encoding: 'utf8', env: { ...process.env, HUB_CONFIG: '' } });
  if (result.error || result.status !== 0) {
    throw new Error(`${file} ${args.slice(0, 3).join(' ')} … failed: ${result.error?.message ?? result.stderr}`);
  }
}

function shoot(shot: Shot, work: string, chromium: string): void {
  const events = `${basename(shot.file, '.png').replace('preview-', '')}.ndjson`;
  const html = join(work, 'preview.html');
  writeFileSync(join(work, events), shot.events.map((event) => JSON.stringify(event)).join('\n'));
  run(process.execPath, [join(REPO_ROOT, 'bin', 'guardduty-hub.mjs'), 'preview', '--html', html, events], work);
  const profile = mkdtempSync(join(work, 'chromium-'));
  run(chromium, chromiumArgs(profile, html, join(REPO_ROOT, shot.file), shot.height), work);
  process.stdout.write(`wrote ${relative(process.cwd(), join(REPO_ROOT, shot.file))}\n`);
}

if (isEntryPoint(import.meta.url)) {
  const work = mkdtempSync(join(tmpdir(), 'guardduty-hub-shots-'));
  try {
    for (const shot of SHOTS) shoot(shot, work, process.env.CHROMIUM ?? 'chromium');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
