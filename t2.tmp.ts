import { DuckDBInstance } from '@duckdb/node-api';
import { enrichmentSql } from './queries/catalog/sql-macros';
import { ADDRESS_DATA_SCHEMA, addressDataLoadSql } from './queries/catalog/address-data';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
for (const s of ADDRESS_DATA_SCHEMA) await c.run(s);
await c.run(enrichmentSql().join(';\n'));
const base = 'node_modules/@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-';
const stmts = addressDataLoadSql('geo', { ipv4: base + 'ipv4-num.csv', ipv6: base + 'ipv6.csv' });
for (const s of stmts) { const t = performance.now(); await c.run(s); console.log(Math.round(performance.now() - t), 'ms', s.slice(0, 80)); }
let t = performance.now();
await c.run(`SELECT count(*) FROM read_csv('${base}ipv4-num.csv', header=false, columns={'lo':'UINTEGER','hi':'UINTEGER','cc':'VARCHAR'})`);
console.log('plain read', Math.round(performance.now() - t));
t = performance.now();
await c.run(`SELECT count(*) FROM (SELECT ip6_hex(column0) FROM read_csv('${base}ipv6.csv', header=false))`);
console.log('ip6hex', Math.round(performance.now() - t));
