import { afterEach, describe, expect, it } from 'vitest';
import { startSlackWebSimulator, type SlackWebSimulator } from '../../../devkit/slack/web-api-simulator.ts';
import { modalProblems } from '../../../devkit/slack/web-api-workspace.ts';

// The Web API simulator's views.open: a trigger_id and a modal within Slack's documented limits
// (https://docs.slack.dev/reference/views/modal-views), recorded when opened; and views.update of a
// view it opened, recorded beside it.

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

async function open(args: Record<string, unknown>, method = 'views.open'): Promise<Record<string, unknown>> {
  slack ??= await startSlackWebSimulator({ tokens: [TOKEN], channels: ['C0ALERTS01'] });
  const response = await fetch(`${slack.apiUrl}/${method}`, {
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

describe('the Web API simulator: views.update', () => {
  it('replaces a view it opened by a valid modal, keeping both; refuses an unknown view id or an invalid modal', async () => {
    const opened = (await open({ trigger_id: '1.2.a', view: modal({ submit: undefined, blocks: [] }) })) as {
      view: { id: string };
    };

    const updated = await open({ view_id: opened.view.id, view: modal() }, 'views.update');
    const unknown = await open({ view_id: 'V0NOSUCH01', view: modal() }, 'views.update');
    const invalid = await open({ view_id: opened.view.id, view: modal({ submit: undefined }) }, 'views.update');

    expect(updated).toMatchObject({ ok: true, view: { id: opened.view.id } });
    expect([unknown, invalid]).toEqual([
      { ok: false, error: 'not_found' },
      { ok: false, error: 'invalid_arguments' },
    ]);
    expect(slack?.views.map((view) => [view.id, view.updates, view.triggerId])).toEqual([
      [opened.view.id, undefined, '1.2.a'],
      [opened.view.id, 1, '1.2.a'],
    ]);
  });
});
