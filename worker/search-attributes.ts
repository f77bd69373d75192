// Registers the record workflow's search attributes with a Temporal namespace; adding one that
// already exists with the same type is not an error. The phone number is not among them (it was,
// as CallbackPhone, before 'phone-not-searchable': README, "Customers' data in Temporal").
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/callback-contract.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

const TYPES = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
} as const;

type AttributeKey = (typeof SEARCH_ATTRIBUTES)[keyof typeof SEARCH_ATTRIBUTES];

export async function registerSearchAttributes(
  connection: Connection,
  namespace: string,
  keys: AttributeKey[] = Object.values(SEARCH_ATTRIBUTES),
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = keys.filter((k) => customAttributes?.[k.name] === undefined);
  if (missing.length > 0) await addSearchAttributes(connection, namespace, missing);
  return missing.map((k) => k.name);
}

export async function addSearchAttributes(
  connection: Connection,
  namespace: string,
  keys = Object.values(SEARCH_ATTRIBUTES),
): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(keys.map((k) => [k.name, TYPES[k.type as keyof typeof TYPES]])),
  });
}
