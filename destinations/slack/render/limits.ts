import { SLACK_LIMITS } from '../limits.ts';

/**
 * Checks a webhook payload against Slack's limits (`SLACK_LIMITS`) and our escaping rules. Returns one
 * line per problem (`attachments[0].blocks[3].text.text: 3012 characters, over the 3000 …`); empty
 * when the payload is fine. Used by tests and by the Slack simulator, which answers 400
 * `invalid_blocks` when this finds anything.
 */
export function validatePayload(payload: unknown): string[] {
  const problems: string[] = [];
  const add = (path: string, message: string) => problems.push(path === '' ? message : `${path}: ${message}`);
  const root = asObject(payload);
  if (!root) return ['payload must be a JSON object'];

  if (typeof root.text !== 'string' || root.text.trim() === '') {
    add('text', 'must be a non-empty string (the notification fallback)');
  } else {
    checkLength(root.text, SLACK_LIMITS.topLevelTextChars, 'text', 'the top-level text', add);
    checkMrkdwn(root.text, 'text', add);
  }

  const blockLists: [path: string, blocks: unknown][] = [];
  if (root.blocks !== undefined) blockLists.push(['blocks', root.blocks]);
  if (root.attachments !== undefined) {
    if (!Array.isArray(root.attachments)) add('attachments', 'must be an array');
    else {
      for (const [i, raw] of root.attachments.entries()) {
        const attachment = asObject(raw);
        if (!attachment) {
          add(`attachments[${i}]`, 'must be an object');
          continue;
        }
        if (attachment.color !== undefined && typeof attachment.color !== 'string')
          add(`attachments[${i}].color`, 'must be a string');
        if (attachment.blocks !== undefined) blockLists.push([`attachments[${i}].blocks`, attachment.blocks]);
      }
    }
  }

  let total = 0;
  for (const [path, blocks] of blockLists) {
    if (!Array.isArray(blocks)) {
      add(path, 'must be an array');
      continue;
    }
    total += blocks.length;
    for (const [i, block] of blocks.entries()) checkBlock(block, `${path}[${i}]`, add);
  }
  if (total > SLACK_LIMITS.blocksPerMessage)
    add('', `${total} blocks, over Slack's ${SLACK_LIMITS.blocksPerMessage} per message`);
  return problems;
}

type Add = (path: string, message: string) => void;

const KNOWN_BLOCKS = new Set(['section', 'header', 'context', 'divider', 'actions', 'image', 'rich_text', 'markdown']);

function checkBlock(raw: unknown, path: string, add: Add): void {
  const block = asObject(raw);
  if (!block || typeof block.type !== 'string') {
    add(path, 'must be an object with a type');
    return;
  }
  if (!KNOWN_BLOCKS.has(block.type)) add(`${path}.type`, `unknown block type ${JSON.stringify(block.type)}`);
  if (typeof block.block_id === 'string')
    checkLength(block.block_id, SLACK_LIMITS.blockIdChars, `${path}.block_id`, 'a block_id', add);

  if (block.type === 'section') checkSection(block, path, add);
  else if (block.type === 'header')
    checkText(block.text, `${path}.text`, SLACK_LIMITS.headerTextChars, 'a header', add, 'plain_text');
  else if (block.type === 'context') checkContext(block, path, add);
}

function checkSection(block: Record<string, unknown>, path: string, add: Add): void {
  if (block.text === undefined && block.fields === undefined) add(path, 'a section needs text or fields');
  if (block.text !== undefined) checkText(block.text, `${path}.text`, SLACK_LIMITS.sectionTextChars, 'a section', add);
  if (block.fields === undefined) return;
  if (!Array.isArray(block.fields) || block.fields.length === 0) {
    add(`${path}.fields`, 'must be a non-empty array');
    return;
  }
  if (block.fields.length > SLACK_LIMITS.fieldsPerSection) {
    add(`${path}.fields`, `${block.fields.length} fields, over Slack's ${SLACK_LIMITS.fieldsPerSection} per section`);
  }
  for (const [i, field] of block.fields.entries()) {
    checkText(field, `${path}.fields[${i}]`, SLACK_LIMITS.fieldTextChars, 'a field', add);
  }
}

function checkContext(block: Record<string, unknown>, path: string, add: Add): void {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0) {
    add(`${path}.elements`, 'must be a non-empty array');
    return;
  }
  if (elements.length > SLACK_LIMITS.contextElements) {
    add(
      `${path}.elements`,
      `${elements.length} elements, over Slack's ${SLACK_LIMITS.contextElements} per context block`,
    );
  }
  elements.forEach((element, i) => {
    if (asObject(element)?.type === 'image') return;
    checkText(element, `${path}.elements[${i}]`, SLACK_LIMITS.contextTextChars, 'a context element', add);
  });
}

function checkText(
  raw: unknown,
  path: string,
  maxChars: number,
  what: string,
  add: Add,
  onlyType?: 'plain_text',
): void {
  const text = asObject(raw);
  if (!text || (text.type !== 'mrkdwn' && text.type !== 'plain_text') || typeof text.text !== 'string') {
    add(path, 'must be a text object { type: mrkdwn | plain_text, text }');
    return;
  }
  if (onlyType !== undefined && text.type !== onlyType) add(`${path}.type`, `must be ${onlyType}`);
  if (text.text.length === 0) add(`${path}.text`, 'must not be empty');
  checkLength(text.text, maxChars, `${path}.text`, what, add);
  if (text.type === 'mrkdwn') checkMrkdwn(text.text, `${path}.text`, add);
}

function checkLength(text: string, maxChars: number, path: string, what: string, add: Add): void {
  if (text.length > maxChars) add(path, `${text.length} characters, over Slack's ${maxChars} for ${what}`);
}

/** A link we build: `<https://…>` or `<https://…|label>`. */
const LINK = /<(?:https?:\/\/|mailto:)[^\s<>|]+(?:\|([^<>]*))?>/g;
const ENTITY = /&(?:amp|lt|gt);/g;
/** A mention of one Slack user (`<@U…>`, from triage: who did what); never `<!channel>` or `<!here>`. */
const USER_MENTION = /<@[UW][A-Z0-9]{2,}>/g;

/** Flags `<`, `>` or `&` that are not part of a link we built, a user mention or an entity: unescaped finding text. */
function checkMrkdwn(text: string, path: string, add: Add): void {
  const outsideLinks = text.replace(LINK, (_link, label: string | undefined) => ` ${label ?? ''} `);
  const bare = outsideLinks.replace(ENTITY, ' ').replace(USER_MENTION, ' ').match(/[<>&]/g);
  if (bare)
    add(
      path,
      `unescaped ${[...new Set(bare)].join(' ')} in mrkdwn (escape &, < and > in text; only links may use <…>)`,
    );
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
