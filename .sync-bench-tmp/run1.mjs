const m = await import('./bench/sync.bench.js');
console.log(await m.default({ quick: process.argv.includes('--quick') }));
process.exit(0);
