import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const base = 'node_modules/@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-';

let t = performance.now();
await c.run(`CREATE TABLE g6 AS SELECT unnest(range((lo >> 112)::INTEGER, (hi >> 112)::INTEGER + 1)) AS b, lo, hi, cc FROM read_csv('${base}ipv6-num.csv', header=false, columns={'lo':'UHUGEINT','hi':'UHUGEINT','cc':'VARCHAR'})`);
console.log('g6', Math.round(performance.now() - t));
t = performance.now();
await c.run(`CREATE TABLE g6b AS SELECT (lo >> 112)::INTEGER AS b, lo, hi, cc FROM read_csv('${base}ipv6-num.csv', header=false, columns={'lo':'UHUGEINT','hi':'UHUGEINT','cc':'VARCHAR'})`);
console.log('g6 no unnest', Math.round(performance.now() - t));
t = performance.now();
await c.run(`CREATE TABLE g6c AS SELECT lo, hi, cc FROM read_csv('${base}ipv6-num.csv', header=false, columns={'lo':'UHUGEINT','hi':'UHUGEINT','cc':'VARCHAR'})`);
console.log('g6 plain', Math.round(performance.now() - t));
console.log((await c.runAndReadAll(`SELECT max((hi>>112) - (lo>>112)) , sum((hi>>112) - (lo>>112)+1) FROM g6c`)).getRows());
