import type * as z from 'zod';

/**
 * The config's messages for the checks that have none of their own in `schema.ts`, in the project's
 * voice ("must be a whole number from 1 to 100", "must be a list"): passed to every parse, so that
 * no zod default text ("Too big: expected number to be <=100") reaches a user.
 */

/** What each JSON type is called in a message. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys',
  record: 'a mapping of keys',
  tuple: 'a list',
  date: 'a date',
  bigint: 'a number',
};

/** `a, b or c`. */
function oneOf(values: readonly unknown[]): string {
  const shown = values.map((value) => String(value));
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/** The limit of a too-big or too-small issue, in words for its kind of value. */
function bound(issue: { origin: string; inclusive?: boolean }, limit: number | bigint, side: 'most' | 'least'): string {
  switch (issue.origin) {
    case 'string':
      return `must be at ${side} ${limit} characters long`;
    case 'array':
    case 'set':
      return `must list at ${side} ${limit} item${limit === 1 ? '' : 's'}`;
    default:
      if (issue.inclusive === false) return `must be ${side === 'most' ? 'less' : 'greater'} than ${limit}`;
      return `must be at ${side} ${limit}`;
  }
}

/** The message for one zod issue without a message of its own. */
export function configMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_big':
      return bound(issue, issue.maximum, 'most');
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
      if (issue.origin === 'array' && issue.minimum === 1) return 'must list at least one item, or be left out';
      return bound(issue, issue.minimum, 'least');
    case 'invalid_value':
      return `must be ${oneOf(issue.values)}`;
    case 'invalid_format':
      return issue.format === 'email' ? 'must be an email address' : `is not in the expected form (${issue.format})`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return 'is not a known key';
    default:
      return 'is not a valid value here';
  }
}
