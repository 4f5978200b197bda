import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import { badInput } from './errors';

export type TextFault = 'nul' | 'surrogate';

/**
 * What is wrong with a string for storage, or null when nothing is. PostgreSQL refuses NUL in
 * `text` values (the statement fails), and a lone UTF-16 surrogate has no UTF-8 form (the driver
 * would silently store U+FFFD instead). Both checks are native scans of the string.
 */
export function textFault(text: string): TextFault | null {
  if (text.includes('\u0000')) return 'nul';
  // String.prototype.isWellFormed (ES2024, Node 20) is not in this project's `lib` yet.
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed() ? null : 'surrogate';
}

const FAULT_MESSAGE: Record<TextFault, string> = {
  nul: 'contains a NUL character (U+0000), which is not accepted in text.',
  surrogate: 'contains an unpaired UTF-16 surrogate, which is not valid Unicode text.',
};

/**
 * The path of the first string inside `value` (objects and arrays, any depth) that cannot be
 * stored, with its fault; e.g. `input.additionalInfo` or `inputs[3].comment`. Null when all
 * strings are fine. Visits each value once.
 */
export function findBadText(
  value: unknown,
  path: string,
): { path: string; fault: TextFault } | null {
  if (typeof value === 'string') {
    const fault = textFault(value);
    return fault ? { path, fault } : null;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadText(value[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value)) {
    const bad = findBadText(inner, path ? `${path}.${key}` : key);
    if (bad) return bad;
  }
  return null;
}

/** Throws BAD_USER_INPUT naming the first argument path whose text cannot be stored. */
export function checkTextArgs(args: Record<string, unknown>): void {
  const bad = findBadText(args, '');
  if (bad) throw badInput(bad.path, FAULT_MESSAGE[bad.fault]);
}

/**
 * Every field that takes arguments checks them before its resolver (and, for subscriptions,
 * before its event source) runs. Variables and literals both arrive as coerced `args`, so
 * this one place covers both transports; fields without arguments are left untouched and
 * cost nothing.
 */
export function guardTextArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        checkTextArgs(args);
        return resolve(source, args, context, info);
      };
      const subscribe = field.subscribe;
      if (subscribe) {
        field.subscribe = (source, args, context, info) => {
          checkTextArgs(args);
          return subscribe(source, args, context, info);
        };
      }
    }
  }
  return schema;
}

/**
 * Length in characters (Unicode code points), as the contract counts them and as
 * PostgreSQL's `length()` does: an emoji is one character, not two UTF-16 units.
 */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The contract's limit on a free text: a dispute's additionalInfo, a decision's comment, a comment's body. */
export const MAX_FREE_TEXT_LENGTH = 2000;

/**
 * Throws BAD_USER_INPUT naming `field` when `text` is longer than `max` characters (code
 * points); an absent text (null) passes.
 */
export function checkTextLength(
  field: string,
  text: string | null,
  max: number = MAX_FREE_TEXT_LENGTH,
): void {
  if (text === null) return;
  const length = codePointLength(text);
  if (length > max)
    throw badInput(field, `is ${length} characters long; at most ${max} are allowed.`);
}
