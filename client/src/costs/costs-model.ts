// The cost ledger's totals for the Costs view and the status bar: today, the last 7 days and all time,
// each by role, provider and model (nine `electrictown/costs` answers, read in parallel).
import type { CostRow } from '../../../server/src/protocol';
import type { ServerConnection } from '../connection/server-connection';

export type PeriodKey = 'today' | 'week' | 'all';
export type Grouping = 'role' | 'provider' | 'model';

export interface CostPeriod {
  key: PeriodKey;
  label: string;
  total: CostRow;
  by: Record<Grouping, CostRow[]>;
}

export interface CostsSnapshot {
  ledger: string;
  periods: CostPeriod[];
  /** When it was read, epoch ms. */
  readAt: number;
}

const GROUPINGS: Grouping[] = ['role', 'provider', 'model'];

/** Where each period starts: local midnight today, 7 days before that, and the beginning. Pure. */
export function periodStarts(now: Date): { key: PeriodKey; label: string; since: string | undefined }[] {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const weekAgo = new Date(midnight.getFullYear(), midnight.getMonth(), midnight.getDate() - 6);
  return [
    { key: 'today', label: 'Today', since: midnight.toISOString() },
    { key: 'week', label: 'Last 7 days', since: weekAgo.toISOString() },
    { key: 'all', label: 'All time', since: undefined },
  ];
}

export async function readCosts(client: ServerConnection, configPath: string | undefined, now = new Date()): Promise<CostsSnapshot> {
  let ledger = '';
  const periods = await Promise.all(
    periodStarts(now).map(async ({ key, label, since }) => {
      const answers = await Promise.all(GROUPINGS.map((by) => client.costs({ configPath, by, since })));
      ledger = answers[0].ledger;
      const by = Object.fromEntries(GROUPINGS.map((grouping, index) => [grouping, answers[index].rows])) as Record<Grouping, CostRow[]>;
      return { key, label, total: answers[0].total, by };
    }),
  );
  return { ledger, periods, readAt: now.getTime() };
}

/** What the Costs view shows instead of charts: no config to read a ledger from, or a ledger without calls. */
export interface CostsEmpty {
  empty: 'no-config' | 'no-calls';
}

/** The snapshot, or the empty state when its ledger holds no call at all (absent or empty). Pure. */
export function costsDisplay(snapshot: CostsSnapshot): CostsSnapshot | CostsEmpty {
  const all = snapshot.periods.find((period) => period.key === 'all') ?? snapshot.periods[snapshot.periods.length - 1];
  return all && all.total.attempts === 0 ? { empty: 'no-calls' } : snapshot;
}
