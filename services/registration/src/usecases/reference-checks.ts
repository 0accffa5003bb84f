import type { Delegation, RegisterAttendeeBody } from '@expo/schemas';
import type { FieldProblem } from '../domain/field-problem.ts';
import type { RegistrationStore } from '../store/registration-store.ts';

/**
 * Checks that what a registration points at exists: the delegation and its sub-group, the
 * exhibitor. Lookups are cached for the call, so an import of 50,000 rows of one delegation asks
 * Redis once.
 */
export function referenceChecker(store: RegistrationStore) {
  const delegations = new Map<string, Promise<Delegation | null>>();
  const exhibitors = new Map<string, Promise<boolean>>();
  const delegation = (id: string) => {
    if (!delegations.has(id)) delegations.set(id, store.delegation(id));
    return delegations.get(id)!;
  };
  const exhibitorExists = (id: string) => {
    if (!exhibitors.has(id))
      exhibitors.set(
        id,
        store.exhibitor(id).then((e) => e !== null),
      );
    return exhibitors.get(id)!;
  };
  return async (body: RegisterAttendeeBody): Promise<FieldProblem[]> => {
    const problems: FieldProblem[] = [];
    if (body.subGroupId && !body.delegationId) problems.push({ field: 'subGroupId', message: 'a sub-group needs its delegationId' });
    if (body.delegationId) {
      const found = await delegation(body.delegationId);
      if (!found) problems.push({ field: 'delegationId', message: `no delegation ${body.delegationId}` });
      else if (body.subGroupId && !found.subGroups.some((g) => g.subGroupId === body.subGroupId)) {
        problems.push({ field: 'subGroupId', message: `delegation ${body.delegationId} has no sub-group ${body.subGroupId}` });
      }
    }
    if (body.exhibitorId && !(await exhibitorExists(body.exhibitorId))) {
      problems.push({ field: 'exhibitorId', message: `no exhibitor ${body.exhibitorId}` });
    }
    if (body.category === 'exhibitor_staff' && !body.exhibitorId) {
      problems.push({ field: 'exhibitorId', message: 'exhibitor staff must name their exhibitorId' });
    }
    return problems;
  };
}
