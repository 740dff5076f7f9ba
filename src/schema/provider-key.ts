import { ProviderKey } from '../domain/provider-key.js';
import { WebhookStatus } from '../domain/webhook.js';
import { builder } from './builder.js';

export const ProviderKeyEnum = builder.enumType(ProviderKey, { name: 'ProviderKey' });
export const WebhookStatusEnum = builder.enumType(WebhookStatus, { name: 'WebhookStatus' });
