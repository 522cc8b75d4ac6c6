import type { z } from 'zod';

/**
 * zod's default messages are written for developers ("Too small: expected string to have
 * >=1 characters"). This error map, installed once in common.ts with `z.config`, turns every
 * issue that has no explicit message into words a receptionist understands. A field that
 * deserves a better sentence still gets its own message in the schema (those win).
 */
type RawIssue = Parameters<NonNullable<z.core.$ZodConfig['customError']>>[0];

const count = (n: number | bigint, one: string, many: string) => (Number(n) === 1 ? `1 ${one}` : `${String(n)} ${many}`);

const isEmpty = (input: unknown) => input === undefined || input === null;

function typeMessage(expected: string, input: unknown): string {
  if (isEmpty(input)) return 'This field is required.';
  switch (expected) {
    case 'number':
      return 'Enter a number.';
    case 'int':
      return 'Enter a whole number.';
    case 'boolean':
      return 'Choose yes or no.';
    case 'array':
      return 'This should be a list.';
    case 'object':
    case 'record':
      return 'This part of the form is missing some details.';
    case 'string':
      return 'Enter text here.';
    case 'date':
      return 'Enter a date.';
    default:
      return 'This value cannot be used here.';
  }
}

function formatMessage(format: string): string {
  switch (format) {
    case 'email':
      return 'Not a valid e-mail address.';
    case 'date':
      return 'Enter a real date.';
    case 'datetime':
      return 'Enter a real date and time.';
    case 'time':
      return 'Enter a time such as 09:30.';
    case 'url':
      return 'Not a valid web address.';
    case 'uuid':
    case 'guid':
    case 'cuid':
    case 'ulid':
    case 'nanoid':
      return 'Not a valid reference.';
    case 'starts_with':
    case 'ends_with':
    case 'includes':
    case 'regex':
    default:
      return 'This is not written in a form this field accepts.';
  }
}

function tooSmall(issue: { origin: string; minimum: number | bigint; inclusive?: boolean; exact?: boolean; input?: unknown }): string {
  const min = issue.minimum;
  switch (issue.origin) {
    case 'string':
      if (Number(min) <= 1) return 'This field is required.';
      return issue.exact ? `Use exactly ${count(min, 'character', 'characters')}.` : `Use at least ${count(min, 'character', 'characters')}.`;
    case 'array':
    case 'set':
      if (Number(min) <= 1) return 'Add at least one.';
      return `Add at least ${String(min)}.`;
    case 'date':
      return 'This date is too early.';
    default:
      if (Number(min) <= -1e12) return 'This number is too far below zero.';
      if (Number(min) === 0 && issue.inclusive !== false) return 'This cannot be negative.';
      return issue.inclusive === false ? `Use a number above ${String(min)}.` : `Use ${String(min)} or more.`;
  }
}

function tooBig(issue: { origin: string; maximum: number | bigint; inclusive?: boolean; exact?: boolean }): string {
  const max = issue.maximum;
  switch (issue.origin) {
    case 'string':
      return issue.exact ? `Use exactly ${count(max, 'character', 'characters')}.` : `At most ${count(max, 'character', 'characters')}.`;
    case 'array':
    case 'set':
      return `At most ${count(max, 'entry', 'entries')}.`;
    case 'date':
      return 'This date is too late.';
    default:
      if (Number(max) >= 1e12) return 'This number is too large.';
      return issue.inclusive === false ? `Use a number below ${String(max)}.` : `Use ${String(max)} or less.`;
  }
}

/** A union that failed: the message of the option that came closest, else a plain sentence. */
function unionMessage(errors: ReadonlyArray<ReadonlyArray<z.core.$ZodIssue>> | undefined): string {
  const deeper = (errors ?? [])
    .flat()
    .find((i) => !(i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')));
  return deeper?.message ?? 'This value cannot be used here.';
}

export function plainMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeMessage(String(issue.expected), issue.input);
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'invalid_format':
      return formatMessage(String(issue.format));
    case 'not_multiple_of':
      return `Use a multiple of ${String(issue.divisor)}.`;
    case 'unrecognized_keys':
      return 'Unknown field.';
    case 'invalid_union':
      return isEmpty(issue.input) ? 'This field is required.' : unionMessage(issue.errors as z.core.$ZodIssue[][] | undefined);
    case 'invalid_value':
      return isEmpty(issue.input) ? 'This field is required.' : 'Choose one of the options.';
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
    default:
      return 'This value cannot be used here.';
  }
}
