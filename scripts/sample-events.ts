import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleEventText, sampleEvents } from '../test/factories/sample-events.ts';
import { isEntryPoint } from './entry.ts';

/**
 * `npx tsx scripts/sample-events.ts`: writes the shipped sample events (`examples/events/`, one JSON
 * file each) from the test factories, and removes files there that the factories no longer make.
 * Needs the GuardDuty API model from the test Python environment (`.cache/moto-venv`, which `npm
 * test` installs). `test/examples/sample-events.test.ts` fails when the files and the factories differ.
 */

/** The folder the sample events live in. */
export const SAMPLE_EVENTS_DIR = fileURLToPath(new URL('../examples/events/', import.meta.url));

/** Writes every sample event into `dir`; returns the files written. */
export function writeSampleEvents(dir: string = SAMPLE_EVENTS_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const samples = sampleEvents();
  const wanted = new Set(samples.map((s) => s.file));
  for (const name of readdirSync(dir)) if (name.endsWith('.json') && !wanted.has(name)) rmSync(join(dir, name));
  for (const sample of samples) writeFileSync(join(dir, sample.file), sampleEventText(sample));
  return samples.map((s) => join(dir, s.file));
}

if (isEntryPoint(import.meta.url)) {
  const files = writeSampleEvents();
  process.stdout.write(`wrote ${files.length} sample events to ${relative(process.cwd(), SAMPLE_EVENTS_DIR) || '.'}\n`);
}
