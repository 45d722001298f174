import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';
import { ADDRESS_DATA_SCHEMA, addressDataLoadSql, blockedLines } from './queries/catalog/address-data';
let t = performance.now();
const base = 'node_modules/@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-';
const v4 = blockedLines(readFileSync(base + 'ipv4-num.csv', 'utf8'), 4);
const v6 = blockedLines(readFileSync(base + 'ipv6.csv', 'utf8'), 6);
console.log('js', Math.round(performance.now() - t)); t = performance.now();
writeFileSync('/tmp/ins/v4.csv', v4); writeFileSync('/tmp/ins/v6.csv', v6);
console.log('write', Math.round(performance.now() - t));
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
for (const s of ADDRESS_DATA_SCHEMA) await c.run(s);
for (const s of addressDataLoadSql('geo', { ipv4: '/tmp/ins/v4.csv', ipv6: '/tmp/ins/v6.csv' })) { t = performance.now(); await c.run(s); console.log(Math.round(performance.now() - t), s.slice(0, 60)); }
await c.run('CREATE TABLE main.x (b UINTEGER, lo UINTEGER, hi UINTEGER, cc VARCHAR)');
t = performance.now(); await c.run(`INSERT INTO main.x SELECT * FROM read_csv('/tmp/ins/v4.csv', header=false, columns={'b':'UINTEGER','lo':'UINTEGER','hi':'UINTEGER','cc':'VARCHAR'})`); console.log('into main', Math.round(performance.now() - t));
t = performance.now(); await c.run(`SELECT count(*) FROM read_csv('/tmp/ins/v4.csv', header=false, columns={'b':'UINTEGER','lo':'UINTEGER','hi':'UINTEGER','cc':'VARCHAR'})`); console.log('count only', Math.round(performance.now() - t));
