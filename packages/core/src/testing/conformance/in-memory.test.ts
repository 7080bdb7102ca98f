import { InMemoryRunStateStore } from '../../agent';
import { InMemoryMemoryStore } from '../../memory';
import { InMemoryBudgetStore, InMemoryUsageLedger } from '../../metering';
import { InMemoryApprovalStore, InMemoryAuditLog } from '../../policy';
import {
  describeApprovalStoreConformance,
  describeAuditLogConformance,
  describeBudgetStoreConformance,
  describeMemoryStoreConformance,
  describeRunStateStoreConformance,
  describeUsageLedgerConformance,
} from './index';

// The in-memory stores are the reference every durable store is compared with: they run the same suites.
describeUsageLedgerConformance('InMemoryUsageLedger', async () => ({ store: new InMemoryUsageLedger() }));
describeBudgetStoreConformance('InMemoryBudgetStore', async () => ({ store: new InMemoryBudgetStore() }));
describeAuditLogConformance('InMemoryAuditLog', async ({ key }) => {
  const store = new InMemoryAuditLog({ key });
  // `entries` is the log's own array, so editing it is editing the store behind its back.
  return {
    store,
    tamper: {
      async editData(seq) {
        const entry = store.entries.find((e) => e.seq === seq)!;
        entry.data = { ...entry.data, edited: true };
      },
      async deleteEntry(seq) {
        store.entries.splice(store.entries.findIndex((e) => e.seq === seq), 1);
      },
      async rewrite(entries) {
        store.entries.splice(0, store.entries.length, ...structuredClone(entries));
      },
    },
  };
});
describeApprovalStoreConformance('InMemoryApprovalStore', async () => ({ store: new InMemoryApprovalStore() }));
describeRunStateStoreConformance('InMemoryRunStateStore', async () => ({ store: new InMemoryRunStateStore() }));
describeMemoryStoreConformance('InMemoryMemoryStore', async () => ({ store: new InMemoryMemoryStore() }));
