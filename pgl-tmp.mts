import { openDatabase } from '/work/main/src/server/db/database.ts';
for (let i=0;i<4;i++){ const t=performance.now(); const d=await openDatabase({kind:'pglite',dataDir:null} as any); console.log(i, (performance.now()-t).toFixed(0),'ms'); await d.close(); }
const { PGlite } = await import('@electric-sql/pglite');
let t=performance.now(); const a = await PGlite.create(); console.log('raw', (performance.now()-t).toFixed(0));
t=performance.now(); const c = await (a as any).clone?.(); console.log('clone', c? (performance.now()-t).toFixed(0): 'none');
