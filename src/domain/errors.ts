import type { ProviderKey } from './provider-key.js';

/** Base for expected failures that GraphQL exposes as error-union members. */
export class HookgraphError extends Error {
  override name = 'HookgraphError';
}

/**
 * A vendor call failed. `message` is written by hookgraph and never contains the vendor's body,
 * so it is safe to show to clients.
 */
export class ProviderError extends HookgraphError {
  override name = 'ProviderError';
  readonly provider: ProviderKey;
  readonly status: number | null;
  readonly retryable: boolean;
  readonly vendorRequestId: string | null;
  constructor(
    message: string,
    opts: {
      provider: ProviderKey;
      status?: number | null;
      retryable?: boolean;
      vendorRequestId?: string | null;
      cause?: unknown;
    },
  ) {
    super(message, { cause: opts.cause });
    this.provider = opts.provider;
    this.status = opts.status ?? null;
    this.retryable = opts.retryable ?? false;
    this.vendorRequestId = opts.vendorRequestId ?? null;
  }
}

export class NotFoundError extends HookgraphError {
  override name = 'NotFoundError';
}

export class ValidationError extends HookgraphError {
  override name = 'ValidationError';
  readonly field: string | null;
  constructor(message: string, field: string | null = null) {
    super(message);
    this.field = field;
  }
}

export class NotConnectedError extends HookgraphError {
  override name = 'NotConnectedError';
  readonly provider: ProviderKey;
  constructor(provider: ProviderKey) {
    super(`${provider} is not connected for this tenant; call connectProvider first`);
    this.provider = provider;
  }
}

export class UnsupportedError extends HookgraphError {
  override name = 'UnsupportedError';
}

/**
 * The caller's key or token lacks the scope (domain/access.ts) an operation needs: `extensions.code: FORBIDDEN`,
 * never an error-union member (no data is shown to a caller that may not see it).
 */
export class ForbiddenError extends HookgraphError {
  override name = 'ForbiddenError';
}

/** A delivery the ingest route must refuse; `status` is the 4xx to answer. Never reaches GraphQL. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
