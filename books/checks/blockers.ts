import { MAX_BLOCKER_ITEMS, type BlockerCode, type BlockerItem, type NewBlocker } from '../../close';

/** Groups rows into one blocker per code, items capped, the full count kept. */
export function groupBlockers<R extends { code: BlockerCode; total?: number | string }>(
  rows: R[],
  describe: (code: BlockerCode, total: number) => { message: string; owner: string },
  toItem: (row: R) => BlockerItem,
): NewBlocker[] {
  const byCode = new Map<BlockerCode, R[]>();
  for (const r of rows) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
  return [...byCode.entries()].map(([code, list]) => {
    const total = Number(list[0].total ?? list.length);
    const items = list.slice(0, MAX_BLOCKER_ITEMS).map(toItem);
    return withOwners({ code, ...describe(code, total), params: { count: total }, items, total });
  });
}

/** The people the items name as their owners, with how many items each: "zhang.min: 2". */
export function withOwners(blocker: NewBlocker): NewBlocker {
  const counts = new Map<string, number>();
  for (const item of blocker.items) if (typeof item.owner === 'string' && item.owner) counts.set(item.owner, (counts.get(item.owner) ?? 0) + 1);
  if (counts.size === 0) return blocker;
  return {
    ...blocker,
    owners: [...counts.entries()].map(([user, count]) => ({ user, count })).sort((a, b) => b.count - a.count || a.user.localeCompare(b.user)),
  };
}
