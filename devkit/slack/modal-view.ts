/** What the Web API simulator checks of a modal view (`views.open`, `views.update`), as Slack documents it. */

/** Slack's documented limits of a modal view, in characters and blocks. */
export const MODAL_VIEW_LIMITS = {
  titleChars: 24,
  submitChars: 24,
  closeChars: 24,
  callbackIdChars: 255,
  privateMetadataChars: 3000,
  blocks: 100,
  inputLabelChars: 2000,
} as const;

/**
 * What is wrong with a modal view, as Slack documents it (https://docs.slack.dev/reference/views/modal-views):
 * `type: modal`; a plain_text title of at most 24 characters; at most 100 blocks; submit and close
 * plain_text of at most 24; `callback_id` at most 255 and `private_metadata` at most 3,000 characters;
 * a `submit` whenever an input block is present; each input block with a label and an element.
 */
export function modalProblems(view: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const plainText = (name: string, max: number, required: boolean) => {
    const value = view[name] as { type?: unknown; text?: unknown } | undefined;
    if (value === undefined) return void (required && problems.push(`no ${name}`));
    if (value.type !== 'plain_text' || typeof value.text !== 'string' || value.text === '' || value.text.length > max)
      problems.push(`${name} must be plain_text of 1 to ${max} characters`);
  };
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Record<string, unknown>[]) : undefined;
  if (view.type !== 'modal') problems.push('type must be modal');
  if (blocks === undefined || blocks.length > MODAL_VIEW_LIMITS.blocks) problems.push('blocks: 0 to 100 needed');
  plainText('title', MODAL_VIEW_LIMITS.titleChars, true);
  plainText('submit', MODAL_VIEW_LIMITS.submitChars, false);
  plainText('close', MODAL_VIEW_LIMITS.closeChars, false);
  const text = (name: string) => (typeof view[name] === 'string' ? (view[name] as string) : '');
  if (text('callback_id').length > MODAL_VIEW_LIMITS.callbackIdChars) problems.push('callback_id too long');
  if (text('private_metadata').length > MODAL_VIEW_LIMITS.privateMetadataChars)
    problems.push('private_metadata too long');
  const inputs = (blocks ?? []).filter((block) => block.type === 'input');
  if (inputs.length > 0 && view.submit === undefined) problems.push('input blocks need submit');
  for (const input of inputs) {
    const label = input.label as { text?: unknown } | undefined;
    if (
      typeof label?.text !== 'string' ||
      label.text.length > MODAL_VIEW_LIMITS.inputLabelChars ||
      input.element === undefined
    )
      problems.push(`input ${String(input.block_id)}: label and element needed`);
  }
  return problems;
}
