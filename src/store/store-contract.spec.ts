import { tempDir } from '../../test/helpers/repos.js';
import { storeFactories } from './postgres/testing.js';
import { defineStoreContract } from './store-contract.js';

for (const factory of storeFactories(true)) {
  defineStoreContract(factory.name, async () => factory.open(await tempDir()));
}
