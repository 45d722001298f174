import { Engine } from './main/engine';
import { call } from './main/engine/dispatch';
const e = await Engine.open({ workspace: '/tmp/ins/demo.duckdb' });
for (const q of ["SELECT count(*) FROM enrich.geo4", "SELECT geo_country('8.8.8.8')", "SELECT count(*) FROM enrich.geo4", "SELECT count(*) FROM enrich.geo6", "SELECT asn_number('8.8.8.8')", "SELECT count(*) FROM enrich.asn4", "SELECT count(*) FROM enrich.asn6"]) {
  const t = performance.now();
  const r: any = await call(e, 'query.run', { query: q, dialect: 'sql' });
  console.log(q, JSON.stringify(r.rows), Math.round(performance.now() - t), 'ms');
}
await e.close();
