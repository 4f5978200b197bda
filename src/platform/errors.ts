import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AuthenticationError, AuthorizationError } from 'type-graphql';
import type { Logger } from 'pino';

/** Every code a client can meet in `errors[].extensions.code`: the contract's list. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CALL_NOT_DISPUTABLE = 'CALL_NOT_DISPUTABLE',
  DISPUTE_WINDOW_EXPIRED = 'DISPUTE_WINDOW_EXPIRED',
  DISPUTE_ALREADY_ACTIVE = 'DISPUTE_ALREADY_ACTIVE',
  CALL_ALREADY_ADJUSTED = 'CALL_ALREADY_ADJUSTED',
  DISPUTE_ALREADY_RESOLVED = 'DISPUTE_ALREADY_RESOLVED',
  EVIDENCE_INVALID = 'EVIDENCE_INVALID',
  DISPUTE_NOT_REOPENABLE = 'DISPUTE_NOT_REOPENABLE',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
};

/** A failure the client can act on; thrown by services, passed through as is. */
export class DomainError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    const status = HTTP_STATUS[code];
    super(message, {
      extensions: { code, ...extra, ...(status ? { http: { status } } : {}) },
    });
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, { field });

export const notFound = (what: string, id: string) =>
  new DomainError(ErrorCode.NOT_FOUND, `No ${what} with id "${id}".`);

export const forbidden = (message = 'You do not have permission to do this.') =>
  new DomainError(ErrorCode.FORBIDDEN, message);

/** Apollo's and graphql-js's own codes, said in the contract's words. */
const FOREIGN_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: ErrorCode.BAD_USER_INPUT,
  GRAPHQL_VALIDATION_FAILED: ErrorCode.BAD_USER_INPUT,
  BAD_REQUEST: ErrorCode.BAD_USER_INPUT,
  OPERATION_RESOLUTION_FAILURE: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_FOUND: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_SUPPORTED: ErrorCode.BAD_USER_INPUT,
};

/** graphql-js's "Did you mean …?" hints, which name fields, types and enum values. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Characters of a message passed through. graphql-js quotes what the client sent (a field
 * name, a value), which the body limit alone bounds only at a megabyte; every answer is kept
 * small whatever was sent.
 */
export const MAX_MESSAGE_LENGTH = 1000;

const bounded = (message: string) =>
  message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;

/**
 * A parse failure that is not a GraphQL syntax error (the parser ran out of something) gets
 * one fixed message, the same on both transports (limits.ts says the same over WebSocket).
 */
export const UNPARSABLE = 'The document could not be parsed.';

/**
 * An error graphql-js raised about the request itself (syntax, validation, an unknown
 * operation, a variable that does not coerce, a persisted-query hash that does not match):
 * it has no path (no resolver ran), no cause and no code. The client sent something wrong.
 */
function isRequestError(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    !error.originalError &&
    !error.path &&
    error.extensions.code === undefined
  );
}

/**
 * The one error formatter, for HTTP and WebSocket alike: contract codes pass through,
 * everything unexpected becomes INTERNAL_SERVER_ERROR with a bland message (logged in full).
 * `hideSchemaDetails` (production) removes "Did you mean …?" hints, which reveal the schema.
 */
export function makeErrorFormatter(
  log: Logger,
  opts: { exposeDetails: boolean; hideSchemaDetails?: boolean },
) {
  // In the one pass: every message that is passed through loses its hints.
  const said = (message: string) =>
    bounded(opts.hideSchemaDetails ? message.replace(SUGGESTION, '') : message);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const nested =
      error instanceof GraphQLError && error.originalError instanceof GraphQLError
        ? error.originalError
        : undefined;
    const { locations, path } = formatted;
    const base = { locations, path };

    if (original instanceof DomainError || nested instanceof DomainError) {
      const e = (original instanceof DomainError ? original : nested) as DomainError;
      const { http: _http, ...extensions } = e.extensions as Record<string, unknown>;
      return { ...base, message: said(e.message), extensions };
    }
    if (original instanceof AuthenticationError || original instanceof AuthorizationError) {
      return {
        ...base,
        message: 'You do not have permission to do this.',
        extensions: { code: ErrorCode.FORBIDDEN },
      };
    }
    const code = formatted.extensions?.code;
    if (code === 'GRAPHQL_PARSE_FAILED' && !formatted.message.startsWith('Syntax Error')) {
      return { ...base, message: UNPARSABLE, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    if (typeof code === 'string' && FOREIGN_CODES[code]) {
      return {
        ...base,
        message: said(formatted.message),
        extensions: { code: FOREIGN_CODES[code] },
      };
    }
    if (typeof code === 'string' && KNOWN_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
      return { ...base, message: said(formatted.message), extensions: { code } };
    }
    if (isRequestError(error)) {
      return {
        ...base,
        message: said(formatted.message),
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    log.error({ err: original ?? error, path }, 'unexpected error');
    return {
      ...base,
      message: 'Something went wrong on our side. It has been logged; please try again.',
      extensions: {
        code: ErrorCode.INTERNAL_SERVER_ERROR,
        ...(opts.exposeDetails && original instanceof Error
          ? { detail: original.message, stacktrace: original.stack?.split('\n') }
          : {}),
      },
    };
  };
}
