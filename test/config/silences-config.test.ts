import { describe, expect, it } from 'vitest';
import { configSilences, validateConfig } from '../../shared/index.ts';
import { problemsOf, withChange } from './problems.ts';

// `silences:` in the config: criteria as a suppress rule's (at least one), who asked, why, and an end
// at most 90 days ahead; every problem named with its key path.

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe('silences in the config', () => {
  it('takes criteria, an author, a reason and an end, and gives each silence an id that follows what it says', () => {
    const silence = {
      type: 'Recon:*',
      accounts: ['222222222222'],
      author: 'alice',
      reason: 'scanner',
      until: inDays(7),
    };
    const config = validateConfig(
      withChange((d) => (d.silences = [silence])),
      'test.yml',
    );
    const again = configSilences(config.silences);
    const changed = configSilences([{ ...silence, reason: 'scanner, week 2' }]);

    expect(again).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^cfg-[0-9a-f]{10}$/),
        matchers: { type: 'Recon:*', accounts: ['222222222222'] },
        endsAtMs: Date.parse(silence.until),
        origin: 'config',
      }),
    ]);
    expect(configSilences(config.silences)[0]?.id).toBe(again[0]?.id);
    expect(changed[0]?.id).not.toBe(again[0]?.id);
  });

  it('names every problem of a silence with its key path', () => {
    const doc = withChange(
      (d) =>
        (d.silences = [
          { author: 'alice', reason: 'no criteria', until: inDays(1) },
          { below: 'high', until: inDays(1) },
          { below: 'high', author: 'alice', reason: 'too long', until: inDays(91) },
          { regions: ['mars-north-1'], author: 'alice', reason: 'where', until: 'next tuesday' },
        ]),
    );

    expect(problemsOf(doc)).toEqual([
      'silences[0]: must name at least one of type, accounts, regions or below',
      'silences[1].author: is required: who asked for the silence (a name or an email)',
      'silences[1].reason: is required: why these findings are silenced',
      'silences[3].until: must be an ISO 8601 time such as 2027-01-31T00:00:00Z',
    ]);
    expect(problemsOf(withChange((d) => (d.silences = [doc.silences[2]])))).toEqual([
      'silences[0].until: is more than 90 days away: a silence lasts at most 90 days (renew it when it ends)',
    ]);
  });
});
