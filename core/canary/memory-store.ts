import { byRegion, NO_CANARY, type CanaryCheckFields, type CanaryRecord, type CanaryStore } from './store.ts';

/** A {@link CanaryStore} in memory, for tests and replay; `records` shows what it holds. */
export function memoryCanaryStore(): CanaryStore & { readonly records: Map<string, CanaryRecord> } {
  const records = new Map<string, CanaryRecord>();
  const get = (region: string): CanaryRecord => records.get(region) ?? NO_CANARY;
  return {
    records,
    async arrived(arrivals) {
      for (const [region, { count, atMs, ids }] of byRegion(arrivals)) {
        const record = get(region);
        records.set(region, {
          ...record,
          arrivals: record.arrivals + count,
          arrivedAtMs: Math.max(record.arrivedAtMs ?? 0, atMs),
          toArchive: [...new Set([...record.toArchive, ...ids])],
        });
      }
    },
    load: async (region) => get(region),
    async update(region, fields: CanaryCheckFields) {
      const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
      const { sendError, ...rest } = { ...get(region), ...given };
      records.set(region, sendError === null || sendError === undefined ? rest : { ...rest, sendError });
    },
    async archived(region, findingIds) {
      const record = get(region);
      records.set(region, { ...record, toArchive: record.toArchive.filter((id) => !findingIds.includes(id)) });
    },
  };
}
