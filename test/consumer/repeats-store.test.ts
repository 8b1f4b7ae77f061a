import { MemoryStateStore } from '../../core/repeats/index.ts';
import { describeStateStoreContract } from './repeats-store-contract.ts';

describeStateStoreContract('MemoryStateStore', () => {
  const store = new MemoryStateStore();
  return { stores: [store, store] };
});
