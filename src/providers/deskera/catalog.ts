import { CRUD_ACTIONS, catalogue, resourceOfType, slug, unifiedType, vendorType } from '../taxonomy.js';

/** The 22 event types of the seed (docs/books/webhook.md), with unified names. */
const SEED: ReadonlyArray<[name: string, description: string]> = [
  ['CREATE_PRODUCTS', 'Triggers when a Product is added in Books'],
  ['CREATE_CONTACT', 'Triggers when a Contact is added in Books'],
  ['CREATE_BILL', 'Triggers when a Bill is created in Books'],
  ['UPDATE_BILL', 'Triggers when a Bill is updated in Books'],
  ['DELETE_BILL', 'Triggers when a Bill is deleted in Books'],
  ['CREATE_INVOICE', 'Triggers when an Invoice is created in Books'],
  ['UPDATE_INVOICE', 'Triggers when an Invoice is updated in Books'],
  ['DELETE_INVOICE', 'Triggers when an Invoice is deleted in Books'],
  ['CREATE_DEBITNOTE', 'Triggers when a Debit Note is created in Books'],
  ['UPDATE_DEBITNOTE', 'Triggers when a Debit Note is updated in Books'],
  ['DELETE_DEBITNOTE', 'Triggers when a Debit Note is deleted in Books'],
  ['CREATE_CREDITNOTE', 'Triggers when a Credit Note is created in Books'],
  ['UPDATE_CREDITNOTE', 'Triggers when a Credit Note is updated in Books'],
  ['DELETE_CREDITNOTE', 'Triggers when a Credit Note is deleted in Books'],
  ['CREATE_CRM_CONTACT', 'Triggers when a Contact is created in Sales'],
  ['UPDATE_CRM_CONTACT', 'Triggers when a Contact is updated in Sales'],
  ['DELETE_CRM_CONTACT', 'Triggers when a Contact is deleted in Sales'],
  ['CREATE_CRM_DEAL', 'Triggers when a Deal is created in Sales'],
  ['UPDATE_CRM_DEAL', 'Triggers when a Deal is updated in Sales'],
  ['DELETE_CRM_DEAL', 'Triggers when a Deal is deleted in Sales'],
  ['STOCK_IN', 'Triggers when the Stock is increased for a Product in Books'],
  ['STOCK_OUT', 'Triggers when the Stock is reduced for a Product in Books'],
];

/** A Map (taxonomy.ts): `CREATE_toString` must find nothing. */
const NOUNS: ReadonlyMap<string, string> = new Map([
  ['PRODUCTS', 'product'],
  ['CONTACT', 'contact'],
  ['BILL', 'bill'],
  ['INVOICE', 'invoice'],
  ['DEBITNOTE', 'debit_note'],
  ['CREDITNOTE', 'credit_note'],
  ['CRM_CONTACT', 'crm_contact'],
  ['CRM_DEAL', 'deal'],
]);

/** `CREATE_INVOICE` → `invoice.created`, `STOCK_IN` → `stock.increased`; unknown names → `deskera.<snake_name>`. */
export function deskeraUnifiedType(name: string): string {
  if (name === 'STOCK_IN') return 'stock.increased';
  if (name === 'STOCK_OUT') return 'stock.decreased';
  const m = /^(CREATE|UPDATE|DELETE)_(.+)$/.exec(name);
  const noun = m ? NOUNS.get(m[2] as string) : undefined;
  const action = m ? CRUD_ACTIONS.get(m[1] as string) : undefined;
  if (noun && action) return unifiedType(noun, action);
  return vendorType('deskera', slug(name));
}

/** The resource noun of an event name (`invoice` for CREATE_INVOICE, `stock` for STOCK_IN). */
export function deskeraResourceType(name: string): string {
  return resourceOfType(deskeraUnifiedType(name));
}

export const deskeraEventTypes = catalogue(SEED, deskeraUnifiedType);
