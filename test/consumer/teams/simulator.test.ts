import { afterEach, describe, expect, it } from 'vitest';
import { startWorkflowSimulator, type WorkflowSimulator } from '../../../devkit/teams/workflow-simulator.ts';

// The project's Teams Workflows webhook simulator answers as the documentation says the trigger does,
// and refuses what Teams would not show (the real trigger accepts it and the flow fails later).

let simulator: WorkflowSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

const card = (version: string, body: unknown[] = [{ type: 'TextBlock', text: 'hi' }]) => ({
  type: 'message',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: { type: 'AdaptiveCard', version, body },
    },
  ],
});

async function post(body: string, contentType = 'application/json'): Promise<[number, string | null, string]> {
  const response = await fetch(simulator!.url('/workflows/a'), {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return [response.status, response.headers.get('retry-after'), await response.text()];
}

describe('the Teams Workflows simulator', () => {
  it('accepts a message with an Adaptive Card of version 1.4 or lower with 202', async () => {
    simulator = await startWorkflowSimulator();

    expect((await post(JSON.stringify(card('1.4'))))[0]).toBe(202);
    expect((await post(JSON.stringify(card('1.2'))))[0]).toBe(202);
    expect(simulator.accepted('/workflows/a')).toHaveLength(2);
  });

  it('refuses a newer card, a malformed message, a wrong media type and a body over the size limit', async () => {
    simulator = await startWorkflowSimulator({ burst: 10 });

    const answers = [
      await post(JSON.stringify(card('1.5'))),
      await post(JSON.stringify({ text: 'hello' })),
      await post('{not json'),
      await post(JSON.stringify(card('1.4')), 'application/x-www-form-urlencoded'),
      await post(JSON.stringify(card('1.4', [{ type: 'TextBlock', text: 'x'.repeat(30_000) }]))),
    ];

    expect(answers.map(([status, , body]) => [status, body === '' ? '' : JSON.parse(body).error.code])).toEqual([
      [400, 'TriggerInputSchemaMismatch'],
      [400, 'TriggerInputSchemaMismatch'],
      [400, 'InvalidRequestContent'],
      [415, 'UnsupportedMediaType'],
      [413, 'RequestEntityTooLarge'],
    ]);
  });

  it('answers 429 with Retry-After when a workflow is posted to over its rate', async () => {
    // A stopped clock: the bucket never refills between the posts, however slow the machine.
    const at = Date.now();
    simulator = await startWorkflowSimulator({ ratePerSecond: 1, burst: 2, now: () => at });
    const body = JSON.stringify(card('1.4'));

    const answers = [await post(body), await post(body), await post(body)];

    expect(answers.map(([status, retryAfter]) => [status, retryAfter])).toEqual([
      [202, null],
      [202, null],
      [429, '1'],
    ]);
  });
});
