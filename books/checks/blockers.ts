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
    return { code, ...describe(code, total), items: list.slice(0, MAX_BLOCKER_ITEMS).map(toItem), total };
  });
}
