import type { CombinedError } from 'urql';

const FORBIDDEN = 'This key cannot do that.';

/** What a person should read for a failed operation: refusals in plain words, other messages as the gateway wrote them. */
export function describeError(error: CombinedError): string {
  if (error.networkError) return 'The gateway cannot be reached. Check the connection and try again.';
  const messages = error.graphQLErrors.map((e) => {
    switch (e.extensions?.['code']) {
      case 'FORBIDDEN':
        return FORBIDDEN;
      case 'UNAUTHENTICATED':
        return 'The gateway does not accept this key or token any more. Sign out and sign in again.';
      default:
        return e.message;
    }
  });
  return [...new Set(messages)].join(' ');
}

export function isForbidden(error: CombinedError | undefined): boolean {
  return error?.graphQLErrors.some((e) => e.extensions?.['code'] === 'FORBIDDEN') ?? false;
}

/** The gateway has no such field yet (an older gateway than the console): the feature is hidden, not an error. */
export function isUnavailable(error: CombinedError | undefined): boolean {
  return (
    error?.graphQLErrors.some((e) => e.extensions?.['code'] === 'GRAPHQL_VALIDATION_FAILED' || /^Cannot query field/.test(e.message)) ??
    false
  );
}

/** The message of an error member of a mutation's result union (`… on Error { message }`), or null for success. */
export function failureOf(result: { __typename?: string } | null | undefined): string | null {
  if (!result || result.__typename?.endsWith('Success')) return null;
  const { message, field } = result as { message?: unknown; field?: unknown };
  if (typeof message !== 'string') return null;
  return typeof field === 'string' && field ? `${message} (${field})` : message;
}

export function ErrorNote({ error }: { error: CombinedError | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {describeError(error)}
    </p>
  );
}

/**
 * A mutation's outcome inline: the transport or GraphQL error, else the error member of its result union, else
 * `done` when there is a successful result.
 */
export function Outcome({
  error,
  result,
  done,
}: {
  error: CombinedError | undefined;
  result: { __typename?: string } | null | undefined;
  done?: string;
}) {
  if (error) return <ErrorNote error={error} />;
  const failure = failureOf(result);
  if (failure !== null) {
    return (
      <p className="error" role="alert">
        {failure}
      </p>
    );
  }
  if (result && done) {
    return (
      <p className="ok" role="status">
        {done}
      </p>
    );
  }
  return null;
}
