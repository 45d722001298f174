import { readFileSync } from 'node:fs';
import { Engine } from '../main/engine';
const [file, workspace] = process.argv.slice(2);
const queries = JSON.parse(readFileSync(file!, 'utf8')) as { name: string; query: string }[];
const engine = await Engine.open({ workspace: workspace! });
let ok = 0;
const failures: string[] = [];
for (const q of queries) {
  const text = q.query.replace(/\{\{[^}]+\}\}/g, '*');
  try {
    await engine.queryRun({ query: text, dialect: 'sumo', pageSize: 5 } as never);
    ok++;
  } catch (e) {
    failures.push(`${q.name}: ${(e as Error).message.split('\n')[0]}`);
  }
}
console.log(`${ok}/${queries.length} ran`);
for (const f of failures) console.log('FAIL', f);
await engine.close();
