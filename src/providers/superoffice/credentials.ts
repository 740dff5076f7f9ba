import { createPrivateKey } from 'node:crypto';
import { z } from 'zod/v4';
import { headerToken } from '../credentials.js';
import type { SuperofficeCredentials, SuperofficeOAuthCredentials, SuperofficeTicketCredentials } from './client.js';

const absent = z.null().optional();
const optionalToken = () => headerToken().nullish();
/** A PEM key is a few KiB; the bound keeps a hostile one from costing a parse. */
const MAX_PRIVATE_KEY = 16 * 1024;

/** The application's RSA private key in PEM, as the system user flow signs with it (sign-system-user-token.md). */
const privateKey = () =>
  z
    .string({ error: 'must be a PEM RSA private key' })
    .max(MAX_PRIVATE_KEY, { error: 'must be a PEM RSA private key' })
    .refine(
      (pem) => {
        try {
          return createPrivateKey(pem).asymmetricKeyType === 'rsa';
        } catch {
          return false;
        }
      },
      { error: 'must be a PEM RSA private key' },
    )
    .transform((pem) => pem.trim())
    .nullish();

/** Only the fields given: a stored credential has no null or undefined members. */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;

const oauthFields = {
  accessToken: headerToken(),
  refreshToken: optionalToken(),
  clientId: optionalToken(),
  clientSecret: optionalToken(),
  redirectUri: optionalToken(),
};
const oauth = z
  .object(oauthFields)
  .refine((c) => !c.refreshToken || (c.clientId && c.clientSecret), {
    error: 'a refreshToken needs the clientId and clientSecret it was issued to',
  })
  .transform((c): SuperofficeOAuthCredentials => defined(c) as SuperofficeOAuthCredentials);

const ticketFields = {
  ticket: optionalToken(),
  appToken: headerToken(),
  systemUserToken: optionalToken(),
  privateKey: privateKey(),
};
const ticket = z
  .object(ticketFields)
  .refine((c) => Boolean(c.ticket) || Boolean(c.systemUserToken && c.privateKey), {
    error: 'needs a ticket, or the systemUserToken and privateKey that issue one',
  })
  .refine((c) => !c.systemUserToken === !c.privateKey, { error: 'a systemUserToken needs the privateKey that signs it, and back' })
  .transform((c): SuperofficeTicketCredentials => defined(c) as SuperofficeTicketCredentials);

/**
 * The GraphQL @oneOf shapes `{accessToken}` | `{oauth: {accessToken, refreshToken, clientId, clientSecret,
 * redirectUri}}` | `{ticket: {ticket, appToken, systemUserToken, privateKey}}`, or the flat stored ones.
 */
export const superofficeCredentials: z.ZodType<SuperofficeCredentials> = z.union(
  [
    z.looseObject({ accessToken: z.string(), ticket: absent, oauth: absent }).pipe(oauth),
    z
      .object({ accessToken: absent, ticket: absent, oauth: z.object(oauthFields) })
      .transform(({ oauth: o }) => o)
      .pipe(oauth),
    z
      .object({ accessToken: absent, oauth: absent, ticket: z.object(ticketFields) })
      .transform(({ ticket: t }) => t)
      .pipe(ticket),
    z.looseObject({ accessToken: absent, oauth: absent, ticket: z.string().nullish(), appToken: z.string() }).pipe(ticket),
  ],
  { error: 'needs either an accessToken, or a ticket with an appToken' },
);
