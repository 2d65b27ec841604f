// Write amplification of the chain store from the command line (the bench runner's `store` area runs the same).
// Run: npx vite-node bench/store-wa.ts [blocks]
import { storeWriteAmplification } from './store.bench.js';

console.log(JSON.stringify(await storeWriteAmplification(Number(process.argv[2] ?? 3000))));
