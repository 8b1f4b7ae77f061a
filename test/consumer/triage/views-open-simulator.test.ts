import { afterEach, describe, expect, it } from 'vitest';
import { startSlackWebSimulator, type SlackWebSimulator } from '../../../devkit/slack/web-api-simulator.ts';
import { modalProblems } from '../../../devkit/slack/web-api-workspace.ts';

// The Web API simulator's views.open: a trigger_id and a modal within Slack's documented limits
// (https://docs.slack.dev/reference/views/modal-views), recorded when opened.

const TOKEN = 'xoxb-1-simulated';
let slack: SlackWebSimulator | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

const modal = (overrides: Record<string, unknown> = {}) => ({
  type: 'modal',
  callback_id: 'cb',
  title: { type: 'plain_text', text: 'Silence findings' },
  submit: { type: 'plain_text', text: 'Silence' },
  blocks: [
    {
      type: 'input',
      block_id: 'r',
      label: { type: 'plain_text', text: 'Reason' },
      element: { type: 'plain_text_input' },
    },
  ],
  ...overrides,
});

async function open(args: Record<string, unknown>): Promise<Record<string, unknown>> {
  slack ??= await startSlackWebSimulator({ tokens: [TOKEN], channels: ['C0ALERTS01'] });
  const response = await fetch(`${slack.apiUrl}/views.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('the Web API simulator: views.open', () => {
  it('opens a modal for a trigger_id and records it', async () => {
    const answer = await open({ trigger_id: '12345.98765.abcd2358fdea', view: modal() });

    expect(answer).toMatchObject({ ok: true, view: { id: expect.stringMatching(/^V/), type: 'modal' } });
    expect(slack?.views).toEqual([expect.objectContaining({ triggerId: '12345.98765.abcd2358fdea', view: modal() })]);
  });

  it('takes the view as JSON text too (a form-encoded call)', async () => {
    const answer = await open({ trigger_id: '1.2.a', view: JSON.stringify(modal()) });

    expect(answer).toMatchObject({ ok: true });
  });

  it.each([
    ['no trigger_id', { view: modal() }, 'invalid_arguments'],
    ['a malformed trigger_id', { trigger_id: 'nope', view: modal() }, 'invalid_trigger_id'],
    [
      'a title over 24 characters',
      { trigger_id: '1.2.a', view: modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } }) },
      'invalid_arguments',
    ],
    ['input blocks without submit', { trigger_id: '1.2.a', view: modal({ submit: undefined }) }, 'invalid_arguments'],
    [
      'private_metadata over 3,000 characters',
      { trigger_id: '1.2.a', view: modal({ private_metadata: 'x'.repeat(3001) }) },
      'invalid_arguments',
    ],
  ])('refuses %s', async (_name, args, error) => {
    const answer = await open(args);

    expect(answer).toEqual({ ok: false, error });
    expect(slack?.views).toEqual([]);
  });

  it('names each problem of a view', () => {
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));

    expect(modalProblems({ type: 'home', blocks, callback_id: 'x'.repeat(256) })).toEqual([
      'type must be modal',
      'blocks: 0 to 100 needed',
      'no title',
      'callback_id too long',
    ]);
  });
});
