import { MemorySilenceStore } from '../../core/silences/index.ts';
import { describeSilenceStoreContract } from './silences-store-contract.ts';

describeSilenceStoreContract('MemorySilenceStore', () => {
  const store = new MemorySilenceStore();
  return { stores: [store, store] };
});
