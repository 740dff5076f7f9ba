import { catalogue, slug, unifiedType } from '../taxonomy.js';
import type { SuperofficeStateAction } from './wire.js';

/** VENDORS.md §5.5: entity events, then the special ones. List and ExtraTable events are dynamic, not listed. */
const ENTITIES = [
  'activity',
  'associate',
  'contact',
  'document',
  'person',
  'project',
  'projectmember',
  'relation',
  'sale',
  'salestakeholder',
];
const SPECIAL: ReadonlyArray<[string, string]> = [
  ['contact.softdeleted', 'A company was moved to the recycle bin'],
  ['chatsession.created', 'A chat session started'],
  ['chatsession.changed', 'A chat session changed'],
  ['chatsession.message', 'A chat message was posted'],
  ['document.edited', 'A document was edited'],
  ['person.consented', 'A person gave consent'],
  ['person.unconsented', 'A person withdrew consent'],
  ['quote.approved', 'A quote was approved'],
  ['quote.rejected', 'A quote was rejected'],
  ['quote.sent', 'A quote was sent'],
  ['quote.ordered', 'A quote was ordered'],
  ['sale.completed', 'A sale was completed'],
  ['sale.lost', 'A sale was lost'],
  ['sale.sold', 'A sale was sold'],
  ['ticket.created', 'A ticket was created (v8.4+)'],
  ['ticket.changed', 'A ticket changed (v8.4+)'],
  ['test', 'The test ping SuperOffice sends on create and on Test'],
];

/** A Map (taxonomy.ts): the action is a delivered word. */
const ACTIONS: ReadonlyMap<string, string> = new Map([
  ['created', 'created'],
  ['changed', 'updated'],
  ['deleted', 'deleted'],
  ['softdeleted', 'soft_deleted'],
  ['edited', 'edited'],
  ['message', 'message_posted'],
  ['consented', 'consented'],
  ['unconsented', 'unconsented'],
  ['approved', 'approved'],
  ['rejected', 'rejected'],
  ['sent', 'sent'],
  ['ordered', 'ordered'],
  ['completed', 'completed'],
  ['lost', 'lost'],
  ['sold', 'sold'],
  ['started', 'started'],
  ['stopped', 'stopped'],
  ['errors', 'failing'],
]);

/**
 * `contact.changed` → `contact.updated`, `test` → `webhook.tested`, `webhook12.errors` → `webhook.failing`,
 * `list.category.created` → `list_category.created`. Unknown names keep their words, lower-cased.
 */
export function superofficeUnifiedType(event: string): string {
  if (event === 'test') return 'webhook.tested';
  const parts = event.toLowerCase().split('.');
  const action = parts.pop() ?? '';
  const noun = slug((parts.join('_') || 'superoffice').replace(/^webhook\d*$/, 'webhook'));
  return unifiedType(noun, ACTIONS.get(action) ?? (slug(action) || 'unknown'));
}

/**
 * A hook's state event (`webhook12.stopped`, VENDORS.md §5.5), which the connector subscribes every hook
 * to itself: a hookgraph event about the registration, not a CRM one. `errors` (TooManyErrors) is failing.
 */
export function superofficeStateType(action: SuperofficeStateAction): string {
  return unifiedType('hookgraph.webhook', action === 'errors' ? 'failing' : action);
}

export const superofficeEventTypes = catalogue(
  [
    ...ENTITIES.flatMap((e) => (['created', 'changed', 'deleted'] as const).map((a) => [`${e}.${a}`, `A ${e} was ${a}`] as const)),
    ...SPECIAL,
  ],
  superofficeUnifiedType,
);
