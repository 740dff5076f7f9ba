import { GraphQLError } from 'graphql';
import {
  type HookgraphError,
  NotConnectedError,
  NotFoundError,
  ProviderError,
  UnsupportedError,
  ValidationError,
} from '../domain/errors.js';
import { builder } from './builder.js';
import { ProviderKeyEnum } from './provider-key.js';

export const ErrorInterface = builder.interfaceRef<HookgraphError>('Error').implement({
  description: 'An expected failure, returned as a member of a mutation result union',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(ProviderError, {
  name: 'ProviderError',
  description: 'The vendor refused or failed the call. Never contains the vendor response body.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ProviderError,
  fields: (t) => ({
    provider: t.field({ type: ProviderKeyEnum, resolve: (e) => e.provider }),
    status: t.exposeInt('status', { nullable: true, description: 'HTTP status the vendor answered, null for network failures' }),
    retryable: t.exposeBoolean('retryable'),
    vendorRequestId: t.exposeString('vendorRequestId', { nullable: true }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof NotFoundError,
  fields: () => ({}),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ValidationError,
  fields: (t) => ({ field: t.exposeString('field', { nullable: true }) }),
});

builder.objectType(NotConnectedError, {
  name: 'NotConnectedError',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof NotConnectedError,
  fields: (t) => ({ provider: t.field({ type: ProviderKeyEnum, resolve: (e) => e.provider }) }),
});

builder.objectType(UnsupportedError, {
  name: 'UnsupportedError',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof UnsupportedError,
  fields: () => ({}),
});

/** The error members every vendor-touching mutation can return. */
export const vendorErrors = [ValidationError, NotConnectedError, NotFoundError, ProviderError, UnsupportedError];

/** extensions.code of the field error for an event whose stored payload cannot be serialized. */
export const PAYLOAD_UNREADABLE = 'PAYLOAD_UNREADABLE';

/**
 * The field error for one event whose stored payload cannot be serialized. It names the event (global
 * id and cursor in extensions), so a client sees which one and can resume `after` it; the operation's
 * other events, and the stream, carry on.
 */
export function payloadUnreadableError(event: { id: string; cursor: string }, reason: string): GraphQLError {
  return new GraphQLError(`the payload of event ${event.id} cannot be serialized: ${reason}`, {
    extensions: { code: PAYLOAD_UNREADABLE, eventId: event.id, cursor: event.cursor },
  });
}
