import { randomUUID } from 'node:crypto';
import { generateKey } from '@expo/service-kit';
import type { Delegation, Exhibitor, RegisterDelegationBody, RegisterExhibitorBody } from '@expo/schemas';
import { allFields, type RegistrationDeps } from './deps.ts';

const shortId = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

/**
 * Registers an exhibitor with its products. Its API key (for lead scans and meetings) is shown
 * once in the answer; only the SHA-256 is kept, in Redis and on the topic.
 */
export async function registerExhibitor(deps: RegistrationDeps, body: RegisterExhibitorBody): Promise<{ exhibitor: Exhibitor; exhibitorKey: string }> {
  const { key, hash } = generateKey('exh');
  const exhibitor: Exhibitor = {
    ...body,
    exhibitorId: shortId('exh'),
    products: body.products.map((p) => ({ ...p, productId: p.productId ?? shortId('prd') })),
    keyHash: hash,
  };
  await deps.producer.send(deps.topics.exhibitors, [
    { type: 'exhibitor.registered', eventId: deps.expo.expoId, data: { ...exhibitor, changed: allFields(exhibitor) } },
  ]);
  await deps.store.saveExhibitor(exhibitor);
  return { exhibitor, exhibitorKey: key };
}

/** Registers a procurement delegation with its trade sub-groups. */
export async function registerDelegation(deps: RegistrationDeps, body: RegisterDelegationBody): Promise<Delegation> {
  const delegation: Delegation = {
    ...body,
    delegationId: shortId('del'),
    subGroups: body.subGroups.map((g) => ({ ...g, subGroupId: g.subGroupId ?? shortId('sg') })),
  };
  await deps.producer.send(deps.topics.delegations, [
    { type: 'delegation.registered', eventId: deps.expo.expoId, data: { ...delegation, changed: allFields(delegation) } },
  ]);
  await deps.store.saveDelegation(delegation);
  return delegation;
}
