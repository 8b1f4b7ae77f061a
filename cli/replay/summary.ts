import type { ReplaySummary } from './run.ts';

/** The text summary of a replay. */
export function renderReplaySummary(summary: ReplaySummary): string {
  const skipped = Object.entries(summary.skipped)
    .filter(([, n]) => n)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const perMessage =
    summary.slackMessages > 0
      ? ` (${(summary.delivered / summary.slackMessages).toFixed(1)} findings per message)`
      : '';
  const lines = [
    `${summary.interrupted ? 'Interrupted (Ctrl-C): so far replayed ' : 'Replayed '}${summary.records} record${summary.records === 1 ? '' : 's'} in ${summary.batches} batch${summary.batches === 1 ? '' : 'es'}, ${(summary.elapsedMs / 1000).toFixed(1)} s`,
    `  delivered      ${summary.delivered} finding${summary.delivered === 1 ? '' : 's'} in ${summary.slackMessages} Slack message${summary.slackMessages === 1 ? '' : 's'}${perMessage}`,
    `  skipped        ${skipped || 'none'}`,
    `  repeats        ${summary.repeatsEnabled ? `${summary.skipped.repeat ?? 0} skipped (nothing new since the last message)` : 'not skipped (--no-repeats or repeats.enabled: false)'}`,
    `  invalid        ${summary.invalid}`,
    `  throttled      ${summary.slackThrottled} (HTTP 429)`,
    ...(summary.webApiCalls > 0 ? [`  web API calls  ${summary.webApiCalls} (app destinations)`] : []),
    `  dead-lettered  ${summary.deadLettered}`,
    ...summary.deadLetteredSources.map((source, index) => {
      const reason = summary.deadLetteredReasons[index];
      return `    - ${source}${reason ? `: ${reason}` : ''}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
