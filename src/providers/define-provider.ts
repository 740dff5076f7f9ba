import type { z } from 'zod/v4';
import { credentialsParser } from './credentials.js';
import type { Connector, ProviderDefinition, UnsupportedMethod, VendorFacts } from './types.js';

/** What a vendor's index.ts writes; defineProvider derives the rest. */
export interface ProviderSpec<C> extends Omit<ProviderDefinition<C>, 'capabilities' | 'parseCredentials'> {
  /** The capabilities no connector method shows. */
  facts: VendorFacts;
  /** The vendor's credential shape, read with credentials.ts. */
  credentials: z.ZodType<C>;
}

const UNSUPPORTED_METHODS: readonly UnsupportedMethod[] = ['sendTestEvent', 'setEnabled'];

/**
 * A provider definition whose capabilities follow from its connector: getOne and testEndpoint are
 * whether the connector has getWebhook and sendTestEvent, read off one connector built on an inert
 * context (a factory only wires the calls). An optional method a caller cannot do without needs a
 * reason in `unsupported` exactly when the connector lacks it; a definition that disagrees with its
 * connector fails at load, not in front of a client.
 */
export function defineProvider<C>({ facts, credentials, ...spec }: ProviderSpec<C>): ProviderDefinition<C> {
  const probe = inertConnector(spec);
  for (const method of UNSUPPORTED_METHODS) {
    if ((probe[method] === undefined) !== Object.hasOwn(spec.unsupported, method)) {
      throw new Error(`${spec.name}: unsupported.${method} must be given exactly when the connector has no ${method}`);
    }
  }
  return {
    ...spec,
    capabilities: {
      multipleEventsPerWebhook: facts.multipleEventsPerWebhook,
      updateInPlace: facts.updateInPlace,
      getOne: probe.getWebhook !== undefined,
      testEndpoint: probe.sendTestEvent !== undefined,
      signedDeliveries: facts.signedDeliveries,
      reportsStatus: facts.reportsStatus,
    },
    parseCredentials: credentialsParser(spec, credentials),
  };
}

/** The credentials are only stored at construction, so any value serves; the HTTP client is never reached. */
function inertConnector({ key, createConnector }: Pick<ProviderDefinition, 'key' | 'createConnector'>): Connector {
  return createConnector({
    baseUrl: 'https://connector-probe.invalid',
    credentials: undefined,
    http: { provider: key, send: () => Promise.reject(new Error('an inert connector sends nothing')) },
    saveCredentials: async () => {},
  });
}
