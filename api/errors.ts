/**
 * The error contract: every error leaves with `extensions.code` and a message a person can act on.
 * WardenErrors (and Pothos validation errors) keep their message; anything unexpected is masked, logged
 * with a reference, and reported as INTERNAL_SERVER_ERROR — never a stack trace.
 */
import { randomUUID } from 'node:crypto';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { ErrorCode, isErrorCode, WardenError } from '../domain/errors.js';

const HTTP_STATUS: Partial<Record<ErrorCode | GraphQLDocumentErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
};

/**
 * Codes for a document GraphQL itself refuses (graphql-yoga sets them): it cannot be parsed, or breaks a rule or a
 * limit.
 */
const DOCUMENT_ERROR_CODES = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED'] as const;
type GraphQLDocumentErrorCode = (typeof DOCUMENT_ERROR_CODES)[number];
const isDocumentErrorCode = (code: unknown): code is GraphQLDocumentErrorCode =>
  (DOCUMENT_ERROR_CODES as readonly unknown[]).includes(code);

export function toGraphQLError(
  code: ErrorCode | GraphQLDocumentErrorCode,
  message: string,
  source?: GraphQLError,
  headers?: Record<string, string>,
): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, {
    nodes: source?.nodes,
    path: source?.path,
    extensions: { code, ...(status ? { http: { status, ...(headers ? { headers } : {}) } } : {}) },
  });
}

export function maskError(error: unknown, _message: string): Error {
  const graphQLError = error instanceof GraphQLError ? error : undefined;
  const original = graphQLError ? (graphQLError.originalError ?? graphQLError) : error;
  if (original instanceof WardenError) return toGraphQLError(original.code, original.message, graphQLError);
  if (original instanceof PothosValidationError)
    return toGraphQLError(ErrorCode.BAD_USER_INPUT, original.message, graphQLError);
  if (original instanceof GraphQLError && isErrorCode(original.extensions?.code)) return original;
  // The document itself: unparseable (syntax, the token limit) or invalid (unknown fields, depth, aliases, cost).
  if (original instanceof GraphQLError && isDocumentErrorCode(original.extensions?.code))
    return toGraphQLError(original.extensions.code, original.message, graphQLError);
  if (original instanceof GraphQLError) {
    // GraphQL's own errors (variable coercion, a mutation in a GET request): the message is the useful
    // part, and an HTTP status the server chose (405 for that GET) is kept.
    const status = (original.extensions?.http as { status?: number } | undefined)?.status;
    const masked = toGraphQLError(ErrorCode.BAD_USER_INPUT, original.message, graphQLError);
    return status && status >= 400
      ? new GraphQLError(masked.message, {
          nodes: masked.nodes,
          path: masked.path,
          extensions: { ...masked.extensions, http: { status } },
        })
      : masked;
  }
  const reference = randomUUID();
  console.error(
    `api: unexpected error ${reference}:`,
    original instanceof Error ? (original.stack ?? original.message) : original,
  );
  return toGraphQLError(ErrorCode.INTERNAL_SERVER_ERROR, `Unexpected error; reference ${reference}.`, graphQLError);
}
