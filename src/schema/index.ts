import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './provider.js';
import './connection.js';
import './webhook.js';
import './webhook-health.js';
import './event.js';
import './sandbox.js';
import './access.js';

/** The executable schema, sorted so the printed SDL is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
