import type { GraphQLFormattedError } from 'graphql';

/** Details of a {@link HookgraphError}; each is set where the failure has it. */
export interface HookgraphErrorDetails {
  /** The HTTP status of a refused or failed request. */
  status?: number;
  /** The GraphQL errors the server answered. */
  errors?: readonly GraphQLFormattedError[];
  /** Partial data answered beside `errors`. */
  data?: unknown;
  /** The WebSocket close code that ended a subscription (4401, 4403, …). */
  closeCode?: number;
  cause?: unknown;
}

/** The one error hookgraph/client throws: a failed request, GraphQL errors, a refused token or a closed socket. */
export class HookgraphError extends Error {
  override readonly name = 'HookgraphError';
  readonly status: number | undefined;
  readonly errors: readonly GraphQLFormattedError[];
  readonly data: unknown;
  readonly closeCode: number | undefined;

  constructor(message: string, { status, errors = [], data, closeCode, cause }: HookgraphErrorDetails = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.status = status;
    this.errors = errors;
    this.data = data;
    this.closeCode = closeCode;
  }

  /** The `extensions.code` of the first GraphQL error (`FORBIDDEN`, `UNAUTHENTICATED`, …), if any. */
  get code(): string | undefined {
    const code = this.errors[0]?.extensions?.['code'];
    return typeof code === 'string' ? code : undefined;
  }
}
