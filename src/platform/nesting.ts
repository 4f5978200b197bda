/**
 * The shape of a text, found in one pass over its characters before anything that builds or
 * recurses on it (JSON.parse's objects, graphql-js's parser and coercion) does its work:
 * how deep brackets nest and, for JSON, how many entries one object or list holds and how many
 * all hold together. Strings (and, in GraphQL, block strings and comments) are skipped, so a
 * bracket or comma inside a string does not count. The scan stops at the first bound passed.
 */

const QUOTE = 34; // "
const HASH = 35; // #
const COMMA = 44;
const LF = 10;
const CR = 13;
const isOpen = (c: number) => c === 123 || c === 91 || c === 40; // { [ (
const isClose = (c: number) => c === 125 || c === 93 || c === 41; // } ] )

/** The end of a `"…"` string starting at `i` (the quote): the index after its closing quote. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92 /* \ */) j++;
    else if (c === QUOTE) return j + 1;
    // A GraphQL string ends at a line break (an error the parser reports); JSON's cannot hold one.
    else if (c === LF || c === CR) return j;
  }
  return text.length;
}

/** The end of a `"""…"""` block string starting at `i`. */
function skipBlockString(text: string, i: number): number {
  for (let j = i + 3; j < text.length; j++) {
    if (text.startsWith('\\"""', j)) j += 3;
    else if (text.startsWith('"""', j)) return j + 3;
  }
  return text.length;
}

/** True when brackets in a GraphQL document nest more than `max` deep. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = text.startsWith('"""', i) ? skipBlockString(text, i) : skipString(text, i);
      continue;
    }
    if (c === HASH) {
      while (i < text.length && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
      continue;
    }
    if (isOpen(c)) {
      if (++depth > max) return true;
    } else if (isClose(c) && depth > 0) {
      depth--;
    }
    i++;
  }
  return false;
}

/**
 * Bounds on a request body (HTTP) or message (WebSocket), checked before JSON.parse: a
 * megabyte of brackets costs parsing ~100 ms, and one of keys ~50 ms more to build an object
 * of a hundred thousand properties. The body wraps variables in two levels, and no input of
 * the schema holds more than a hundred items (variable-checks.ts bounds them again, by type).
 */
export const JSON_LIMITS = {
  /** Objects and lists nested in one another. */
  maxDepth: 32,
  /** Entries of one object or list. */
  maxEntries: 1_000,
  /** Entries of all objects and lists together. */
  maxTotalEntries: 10_000,
} as const;

/** Why a JSON text passes JSON_LIMITS, or null when it is within them. */
export function jsonShapeError(text: string): string | null {
  // Commas seen in each open object or list, by depth.
  const commas = new Array<number>(JSON_LIMITS.maxDepth + 1).fill(0);
  let depth = 0;
  let total = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i);
      continue;
    }
    if (c === 123 || c === 91) {
      if (++depth > JSON_LIMITS.maxDepth) {
        return `The request nests objects and lists more than ${JSON_LIMITS.maxDepth} deep.`;
      }
      commas[depth] = 0;
    } else if ((c === 125 || c === 93) && depth > 0) {
      depth--;
    } else if (c === COMMA) {
      if (++commas[depth]! >= JSON_LIMITS.maxEntries) {
        return `An object or list of the request has more than ${JSON_LIMITS.maxEntries} entries.`;
      }
      if (++total >= JSON_LIMITS.maxTotalEntries) {
        return `The request holds more than ${JSON_LIMITS.maxTotalEntries} values.`;
      }
    }
    i++;
  }
  return null;
}
