/** docs/stores.md: core's conformance suite run against the store of stores-run-state-store.ts. */
import { describeRunStateStoreConformance } from '@claw/core/conformance';
import { KeyValueRunStateStore, type KeyValue } from './stores-run-state-store';

/** A Map with the client's shape (expiry ignored): enough to check the store's semantics. */
function mapKeyValue(): KeyValue {
  const map = new Map<string, string>();
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    delete: async (key) => void map.delete(key),
  };
}

describeRunStateStoreConformance('KeyValueRunStateStore', async () => ({ store: new KeyValueRunStateStore(mapKeyValue()) }));
