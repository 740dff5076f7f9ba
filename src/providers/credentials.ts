import { z } from 'zod/v4';
import { ValidationError } from '../domain/errors.js';
import type { ProviderKey } from '../domain/provider-key.js';

/** Line breaks and NUL would end or split the HTTP header a credential travels in. */
const HEADER_BREAKERS = /[\r\n\0]/;

/**
 * A credential that goes into an HTTP header: a string that is not blank and holds none of `forbidden`,
 * trimmed. Checked on the value as given, so a trailing line break is refused rather than trimmed away.
 */
export function headerToken(forbidden: RegExp = HEADER_BREAKERS) {
  const error = 'must be a non-empty string';
  return z
    .string({ error })
    .refine((v) => v.trim() !== '', { error })
    .refine((v) => !forbidden.test(v), { error: 'contains characters that cannot go in its HTTP header' })
    .transform((v) => v.trim());
}

/** A vendor's credentials: an object of these fields (headerToken for most), other keys dropped. */
export const credentialsObject = <S extends z.core.$ZodLooseShape>(shape: S) => z.object(shape, { error: 'credentials must be an object' });

/**
 * A provider's parseCredentials from the schema of its credential shape. The GraphQL @oneOf input has
 * already checked the types; this narrows the values, and a refusal is one ValidationError naming the
 * vendor and the field (`credentials.booqable.apiKey`), in the words of config.ts's refusals. Values never
 * appear in the message.
 */
export function credentialsParser<T>(provider: { key: ProviderKey; name: string }, schema: z.ZodType<T>): (input: unknown) => T {
  const root = `credentials.${provider.key.toLowerCase()}`;
  return (input) => {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map(String);
    const field = [root, ...path].join('.');
    throw new ValidationError([provider.name, path.at(-1), issue?.message].filter(Boolean).join(' '), field);
  };
}
