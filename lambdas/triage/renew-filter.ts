import { audit } from '../../destinations/slack-app/triage/audit.ts';
import { renewFilterName, filterRenewedReply } from '../../destinations/slack-app/triage/renew-filter.ts';
import type { TriageAudit } from '../../destinations/slack-app/triage/audit.ts';
import { appTokenFor, tellClicker } from './app-token.ts';
import type { TriageJob } from './job.ts';
import type { TriageWorkerOptions } from './worker.ts';

/**
 * The worker's Renew: a click on the drift check's reminder pushes the Slack-made filter's expiry
 * out to now + `triage.suppressExpiryDays` in every configured region (`TagResource` on the filter),
 * for a user of `triage.allow.suppress`; then the reminder loses its button (its attachment) and the thread hears who
 * renewed it until when. Every outcome is one audit line (action `suppress`, the filter named).
 */
export async function runRenewJob(job: TriageJob, options: TriageWorkerOptions): Promise<TriageAudit['result']> {
  const { click } = job;
  const tell = tellClicker(options, click.responseUrl);
  let filter: string;
  try {
    filter = renewFilterName(click.value);
  } catch (error) {
    audit(options, { result: 'failed', user: click.userId, action: 'suppress', reason: String(error) });
    await tell('This button is not one this hub can act on.');
    return 'failed';
  }
  const base = { user: click.userId, action: 'suppress' as const, filter };
  const token = await appTokenFor(options.config, options.tokens, click.channel);
  if (token === undefined || !(await options.authorizer.allowed(click.userId, 'suppress', token))) {
    audit(options, {
      ...base,
      result: 'refused',
      reason: token === undefined ? 'no bot token' : 'not allowed by triage.allow',
    });
    await tell(
      'You are not allowed to renew filters from Slack here. Ask an admin to add you to `triage.allow.suppress`.',
    );
    return 'refused';
  }
  const expiresAtMs = options.now() + options.config.triage.suppressExpiryDays * 86_400_000;
  const regions = options.config.regions;
  const results = await Promise.allSettled(
    regions.map((region) => options.guardduty.renewFilter(region, filter, expiresAtMs)),
  );
  const failed = results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
  if (failed.length > 0) {
    audit(options, { ...base, result: 'failed', reason: failed.join('; ') });
    await tell(`Could not renew the filter: ${failed[0]}`);
    return 'failed';
  }
  const renewedIn = regions.filter((_, i) => results[i]?.status === 'fulfilled' && results[i].value === 'renewed');
  try {
    await options.slack.call('chat.update', token, {
      channel: click.channel,
      ts: click.messageTs,
      text: click.message.text,
      attachments: [],
    });
    await options.slack.call('chat.postMessage', token, {
      channel: click.channel,
      thread_ts: click.threadTs ?? click.messageTs,
      text: filterRenewedReply(filter, click.userId, expiresAtMs, renewedIn),
    });
  } catch (error) {
    options.logger.warn('Triage: the filter is renewed but Slack did not take the edit or the reply', {
      error: String(error),
    });
  }
  audit(options, { ...base, result: 'done', regions: renewedIn, until: new Date(expiresAtMs).toISOString() });
  return 'done';
}
