import { isActive } from '../../shared/silences.ts';
import { audit } from '../../destinations/slack-app/triage/audit.ts';
import type { ButtonClick } from '../../destinations/slack-app/triage/request.ts';
import { renewal, renewalId, renewedId, renewedReply } from '../../destinations/slack-app/triage/renew.ts';
import { ephemeral } from '../../destinations/slack-app/triage/slack.ts';
import { NOT_ALLOWED, destinationOf, tokenFor, type SilenceDeskOptions } from './desk.ts';

/**
 * Renew, clicked on a silence's recap: answered by the front, as Silence… is (the desk holds the token
 * and the store already). Allowed to those `triage.allow.silence` lists; makes the same silence again
 * from now (see `renewal`), says so in the recap's thread, and audits every outcome.
 */
export async function renewSilence(options: SilenceDeskOptions, click: ButtonClick): Promise<void> {
  const tell = (text: string) =>
    options.slack
      .respond(click.responseUrl, ephemeral(text))
      .catch((error: unknown) =>
        options.logger.warn('Triage: the response_url did not take an answer', { error: String(error) }),
      );
  const base = { user: click.userId, action: 'silence' as const };
  let id: string;
  try {
    id = renewedId(click.value);
  } catch {
    audit(options, { ...base, result: 'refused', reason: 'not a Renew button of this hub' });
    return void (await tell('This button is not one this hub can act on.'));
  }
  const token = await tokenFor(options, click.channel);
  if (token === undefined || options.store === undefined) {
    audit(options, { ...base, renewed: id, result: 'failed', reason: 'no app destination, bot token or state table' });
    return void (await tell('The hub cannot renew silences here right now: nothing was done.'));
  }
  if (!(await options.authorizer.allowed(click.userId, 'silence', token))) {
    audit(options, { ...base, renewed: id, result: 'refused', reason: 'not allowed by triage.allow' });
    return void (await tell(NOT_ALLOWED));
  }
  const { silences } = await options.store.list();
  const ended = silences.find((silence) => silence.id === id);
  const already = silences.find((silence) => silence.id === renewalId(id));
  if (ended === undefined) {
    audit(options, { ...base, renewed: id, result: 'refused', reason: 'no such silence in the store' });
    return void (await tell('That silence is not kept by the hub (one of the config is renewed in the config).'));
  }
  if (already !== undefined && isActive(already, options.now())) {
    audit(options, { ...base, renewed: id, silence: already.id, result: 'already-done' });
    return void (await tell(`Already renewed: silence \`${already.id}\`.`));
  }
  await keepRenewal(options, click, ended, tell);
}

/** Keeps the renewal of `ended`, replies in the recap's thread, and audits it. */
async function keepRenewal(
  options: SilenceDeskOptions,
  click: ButtonClick,
  ended: Parameters<typeof renewal>[0],
  tell: (text: string) => Promise<unknown>,
): Promise<void> {
  const silence = renewal(ended, click.userId, options.now(), destinationOf(options, click.channel));
  const base = { user: click.userId, action: 'silence' as const, renewed: ended.id };
  try {
    await options.store?.add(silence);
  } catch (error) {
    audit(options, { ...base, result: 'failed', reason: error instanceof Error ? error.message : String(error) });
    return void (await tell('The hub could not keep the renewed silence: nothing was done. Try again.'));
  }
  const token = await tokenFor(options, click.channel);
  const thread = click.threadTs ?? click.messageTs;
  if (token !== undefined)
    await options.slack
      .call('chat.postMessage', token, { channel: click.channel, thread_ts: thread, text: renewedReply(silence) })
      .catch((error: unknown) =>
        options.logger.warn('Triage: the silence is renewed but Slack did not take the thread reply', {
          silence: silence.id,
          error: String(error),
        }),
      );
  audit(options, { ...base, result: 'done', silence: silence.id, until: new Date(silence.endsAtMs).toISOString() });
}
