import type { ExecutionResult, GraphQLError } from 'graphql';
import { createGraphQLError, handleStreamOrSingleExecutionResult, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import {
  ForbiddenError,
  HookgraphError,
  NotConnectedError,
  NotFoundError,
  ProviderError,
  UnsupportedError,
  ValidationError,
} from '../domain/errors.js';

/**
 * Errors that echo nothing a client sent, and never a stack trace.
 *
 * graphql-js writes input values into its messages: `Variable "$input" got invalid value { … }` (the
 * whole variable, credentials included, for a @oneOf violation), `Expected value of type "T", found …`,
 * `String cannot represent a non string value: …`, `Syntax Error: … found String "…"`. Those values
 * may be secrets (ProviderCredentialsInput), and responses and logs are read by more people than the
 * caller. Every such message keeps its variable, path and reason and loses the value. A request in a transport
 * that is not served is refused with a message naming those that are.
 */
export function useSafeErrors(): Plugin {
  const scrubResult = ({ result, setResult }: { result: ExecutionResult; setResult: (r: ExecutionResult) => void }) => {
    if (!result.errors?.some((e) => scrubbedMessage(e) !== null)) return;
    setResult({ ...result, errors: result.errors.map(scrubbed) });
  };
  return {
    // Before yoga's own method check, whose message names no alternative: a client of a transport that is not
    // served (graphql-sse's single connection mode opens with a PUT reservation) learns which ones are.
    onRequestParse({ request }) {
      if (request.method !== 'GET' && request.method !== 'POST') throw transportNotServed();
    },
    // Validation errors (inline literals) are returned as they are by yoga and by our graphql-ws server.
    onValidate:
      () =>
      ({ result, setResult }) => {
        const errors = result.filter(isGraphQLError);
        if (errors.some((e) => scrubbedMessage(e) !== null)) setResult(result.map((e) => (isGraphQLError(e) ? scrubbed(e) : e)));
      },
    // Syntax errors quote the token they stopped at (a string literal, maybe a secret).
    onParse:
      () =>
      ({ result, replaceParseResult }) => {
        if (isGraphQLError(result)) replaceParseResult(scrubbed(result));
      },
    // Variable coercion errors come back in the execution result: scrubbed here, before yoga's masking
    // sees (and would log) the original.
    onExecute: () => ({ onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, scrubResult) }),
    onSubscribe: () => ({ onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, scrubResult) }),
  };
}

/** The transports /graphql serves, named in the refusal of any other (README, Transports). */
const SERVED_TRANSPORTS =
  'GraphQL over HTTP (GET and POST), over SSE in distinct connections mode (GET or POST with Accept: text/event-stream) ' +
  'and over WebSocket (the graphql-ws protocol)';

/** 405 for a method other than GET and POST, graphql-sse's single connection mode among them. */
function transportNotServed(): GraphQLError {
  return createGraphQLError(
    `/graphql serves ${SERVED_TRANSPORTS}; graphql-sse's single connection mode (a PUT reservation) and other methods are not served`,
    { extensions: { code: 'METHOD_NOT_ALLOWED', http: { status: 405, headers: { allow: 'GET, POST' } } } },
  );
}

/**
 * yoga's `maskedErrors.maskError`: expected failures (HookgraphError: their messages are written to be
 * shown) keep their message with an `extensions.code`; graphql-js errors keep theirs, scrubbed of input
 * values; everything else becomes "Unexpected error." — in development too: yoga's `isDev` would add the
 * original message and stack to the response.
 */
export function maskError(error: unknown, message: string): Error {
  const cause = rootCause(error);
  const located = isGraphQLError(error) ? error : null;
  if (cause instanceof HookgraphError) {
    return createGraphQLError(cause.message, {
      ...(located && { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path }),
      extensions: {
        code: codeOf(cause),
        ...(cause instanceof ValidationError && cause.field !== null && { field: cause.field }),
      },
    });
  }
  // graphql-js's own errors all the way down (syntax, validation, coercion): shown, without input values.
  if (located && isGraphQLError(cause)) return scrubbed(located);
  return yogaMaskError(error, message, false);
}

/** The innermost cause of a GraphQL error (a resolver's own error), or the error itself. */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (let i = 0; i < 10 && isGraphQLError(current) && current.originalError; i++) current = current.originalError;
  return current;
}

const CODES = new Map<new (...args: never[]) => HookgraphError, string>([
  [ValidationError, 'BAD_USER_INPUT'],
  [NotFoundError, 'NOT_FOUND'],
  [NotConnectedError, 'NOT_CONNECTED'],
  [UnsupportedError, 'UNSUPPORTED'],
  [ProviderError, 'PROVIDER_ERROR'],
  [ForbiddenError, 'FORBIDDEN'],
]);

function codeOf(error: HookgraphError): string {
  for (const [type, code] of CODES) if (error instanceof type) return code;
  return 'BAD_REQUEST';
}

export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/** `error`, or a copy whose message no longer holds an input value (no originalError: it held the value too). */
export function scrubbed(error: GraphQLError): GraphQLError {
  const message = scrubbedMessage(error);
  if (message === null) return error;
  return createGraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: error.extensions,
  });
}

const VARIABLE_VALUE = /^Variable "\$(\w+)" got invalid value /;
// What the scrubbing below writes: graphql-js's inspect() never starts a value with `at "`, `;` or `.`.
const SCRUBBED_VARIABLE = /^Variable "\$\w+" got invalid value(?: at "[^"]*")?(?:; |\.$)/;
const LITERAL_VALUE = /^Expected value of type "([^"]+)", found /;
// graphql-js's own path printing: `input.credentials`, `input.events[2]`; never quotes.
const VARIABLE_PATH = / at "(\w+(?:\.\w+|\[\d+\])*)"$/;
const SYNTAX_TOKEN = /^(Syntax Error: (?:.* )?(?:found|Unexpected) (?:String|BlockString|Name|Int|Float)) ".*"\.$/s;

/** The message without the input value it quotes, or null when it quotes none. */
export function scrubbedMessage(error: GraphQLError): string | null {
  const { message } = error;
  const reason = error.originalError instanceof Error ? error.originalError.message : null;
  const variable = VARIABLE_VALUE.exec(message);
  if (variable && !SCRUBBED_VARIABLE.test(message)) {
    // `Variable "$x" got invalid value <value>[ at "<path>"]; <reason>`, with <reason> its originalError's message.
    const head = reason !== null && message.endsWith(`; ${reason}`) ? message.slice(0, -reason.length - 2) : message;
    const path = VARIABLE_PATH.exec(head)?.[1];
    const at = path?.startsWith(variable[1] as string) ? ` at "${path}"` : '';
    return `Variable "$${variable[1]}" got invalid value${at}${reason !== null && head !== message ? `; ${scrubReason(reason)}` : '.'}`;
  }
  const literal = LITERAL_VALUE.exec(message);
  if (literal) {
    const tail = reason !== null && message.endsWith(`; ${reason}`) ? `; ${scrubReason(reason)}` : '.';
    return `Expected value of type "${literal[1]}"${tail}`;
  }
  const syntax = SYNTAX_TOKEN.exec(message);
  if (syntax) return `${syntax[1]}.`;
  // A scalar's or enum's own error, reported as is for an inline literal.
  if (CANNOT_REPRESENT.test(message) || ENUM_VALUE.test(message)) return scrubReason(message);
  return null;
}

const CANNOT_REPRESENT = /^[\w ]*(?:"\w+" )?cannot represent [^:]*: /;
const ENUM_VALUE = /^Value ".*" does not exist in ("\w+" enum\..*)$/s;

/**
 * A coercion reason without the value: graphql-js's scalars write it after a colon (`String cannot
 * represent a non string value: …`), its enums in quotes (`Value "…" does not exist in "E" enum.`), and a
 * custom scalar's message follows `Expected type "T".`. Reasons that name only schema things stay whole.
 */
function scrubReason(reason: string): string {
  const expected = /^(Expected type "[^"]+"\.) /.exec(reason);
  if (expected) return expected[1] as string;
  const enumValue = ENUM_VALUE.exec(reason);
  if (enumValue) return `Value does not exist in ${enumValue[1]}`;
  const colon = reason.indexOf(': ');
  return colon === -1 ? reason : `${reason.slice(0, colon)}.`;
}
