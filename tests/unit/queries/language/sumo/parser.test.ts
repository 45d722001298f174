import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileQuery, detectDialect } from '../../../../../queries/language/index';
import { parseSumo } from '../../../../../queries/language/sumo/parser';

const PARSE =
  'parse field=message "* * * * * * * * * * * * * *" as version,accountID,interfaceID,src_ip,dest_ip,src_port,dest_port,Protocol,Packets,bytes,StartSample,EndSample,Action,status';
const ANALYST = `_sourceCategory=xxxx_vpcflowlogs message
| json "message","logStream","logGroup"
| ${PARSE}
| where src_ip = "172.20.0.10"
| sum(bytes) group by src_ip,dest_ip
| sort by _sum`;

function compile(query: string) {
  const r = compileQuery(query, { dialect: 'sumo' });
  if (r.diagnostics.length) assert.fail(`${query}\n→ ${JSON.stringify(r.diagnostics)}`);
  return r;
}

function problem(query: string) {
  const r = compileQuery(query, { dialect: 'sumo' });
  assert.equal(r.sql, null, `expected an error for ${query}`);
  return r.diagnostics[0]!;
}

describe('Sumo dialect', () => {
  test('is detected from a scope term', () => {
    assert.equal(detectDialect(ANALYST), 'sumo');
    assert.equal(detectDialect('_source=vpc | count by action'), 'sumo');
    assert.equal(detectDialect('stats count(*) by srcAddr'), 'insights');
  });

  test('is detected from Sumo-only operators without a scope', () => {
    assert.equal(detectDialect('* | where action = "REJECT" | count by src_ip'), 'sumo');
    assert.equal(detectDialect('| json "message" | count'), 'sumo');
    assert.equal(detectDialect('parse field=message "* *" as a, b | count by a'), 'sumo');
    assert.equal(detectDialect('fields srcAddr | sort by srcAddr'), 'sumo');
    assert.equal(detectDialect('fields srcAddr, bytes | sort bytes desc | limit 5'), 'insights');
    assert.equal(detectDialect('filter action = "REJECT" | stats count(*) by srcAddr'), 'insights');
    assert.equal(detectDialect('parse @message "* *" as a, b | stats count(*) by a'), 'insights');
  });

  test('the analyst query binds the 14-star parse to the stored columns and names results the Sumo way', () => {
    const r = compile(ANALYST);
    assert.deepEqual(r.columns, ['src_ip', 'dest_ip', '_sum']);
    assert.match(r.sql!, /"srcaddr" = '172\.20\.0\.10'/);
    assert.match(r.sql!, /ORDER BY (sum\("bytes"\)|"_sum") DESC/);
    assert.doesNotMatch(r.sql!, /regexp/, 'nothing is re-parsed from text');
  });

  test('scope metadata and envelope keywords are no-ops; other terms are full-text', () => {
    const plain = compile('_sourceCategory=aws/vpcflow _collector="c 1" message logStream | count');
    assert.doesNotMatch(plain.sql!, /WHERE/);
    const text = compile('_sourceCategory=aws/vpcflow 123456789012 | count');
    // A keyword is whole terms of the record, ignoring case; its longest term is looked for field by field
    // first (it cannot span two), so that few records are left for the regular expression.
    assert.match(text.sql!, /contains\(lower\(coalesce\("account_id", '-'\)\), '123456789012'\)/);
    assert.match(
      text.sql!,
      /regexp_matches\(concat_ws\(.*'\(\^\|\[\^0-9A-Za-z\]\)123456789012\(\$\|\[\^0-9A-Za-z\]\)', 'i'\)/,
    );
    const action = compile('_sourceCategory = Labs/AWS/VPC   REJECT | count');
    assert.match(action.sql!, /"action" = 'REJECT'/);
    const ip = compile('_sourceCategory=vpc 10.0.0.5 | count');
    assert.match(ip.sql!, /"srcaddr" = '10\.0\.0\.5'\) OR \("dstaddr" = '10\.0\.0\.5'/);
    const eni = compile('_sourceCategory=vpc eni-0AbC | count');
    assert.match(eni.sql!, /"interface_id" = 'eni-0abc'/);
  });

  test('a `(` the scope does not close is an error at it, not a crash', () => {
    for (const [query, at] of [
      ['_sourceCategory=vpc and (', 24],
      ['(', 0],
      ['not (', 4],
      ['_sourceCategory=vpc (REJECT or NODATA | count', 20],
      // Deep and unclosed: named at the innermost, within the nesting limit.
      [`${'('.repeat(150)}REJECT | count`, 149],
    ] as const) {
      const p = problem(query);
      assert.match(p.message, /This `\(` is not closed in the scope/, query);
      assert.equal(p.span.offset, at, query);
    }
    assert.match(compile('_sourceCategory=vpc (REJECT or NODATA) | count').sql!, /'REJECT'.*'NODATA'/);
  });

  test('`!` before a scope term is NOT; a list of them is one NOT IN list per column; `!=` is refused', () => {
    const excluded = compile('_sourceCategory=vpc !10.0.0.5 !10.0.0.6 !action=reject | count');
    assert.match(excluded.sql!, /"srcaddr" IS NULL OR \("srcaddr" NOT IN \('10\.0\.0\.5', '10\.0\.0\.6'\)\)/);
    assert.match(excluded.sql!, /"dstaddr" IS NULL OR \("dstaddr" NOT IN \('10\.0\.0\.5', '10\.0\.0\.6'\)\)/);
    assert.match(
      excluded.sql!,
      /"action" IS NULL OR \("action" <> 'REJECT'\)/,
      'an upper-case field compares upper-cased',
    );
    // NOT (a OR b) is (NOT a) AND (NOT b), each passing where its field is missing.
    assert.match(
      compile('!(REJECT or NODATA) | count').sql!,
      /\("action" IS NULL OR \("action" <> 'REJECT'\)\) AND \("log_status" IS NULL OR \("log_status" <> 'NODATA'\)\)/,
    );
    assert.match(compile('interfaceid=ENI-0abc | count').sql!, /coalesce\("interface_id", '-'\) ILIKE 'ENI-0abc'/);
    // A run of `!` is a NOT each: past the nesting limit, a diagnostic where it passed, not a stack overflow.
    const bangs = problem(`${'!'.repeat(5000)}REJECT | count`);
    assert.match(bangs.message, /nests more than 200 levels/);
    assert.equal(bangs.span.offset, 200);
    assert.match(compile('"a!=b" | count').sql!, /'a'.*\ba\[\^0-9A-Za-z\]\+b\b/, 'a quoted phrase may hold `!=`');
    for (const query of ['where action != "REJECT" | count', 'action!=REJECT | count']) {
      const p = problem(query);
      assert.equal(query.slice(p.span.offset, p.span.offset + 2), '!=', query);
      assert.match(p.hint!, /!field=value/);
    }
  });

  test('aggregates default to _count, _sum, _avg and _<field>_pct_<n>, by-fields keep their written names', () => {
    const r = compile(
      `_sourceCategory=v | ${PARSE} | count, sum(bytes), avg(Packets), pct(Packets, 95), count_distinct(dest_ip) by src_ip, Action`,
    );
    assert.deepEqual(r.columns, ['src_ip', 'Action', '_count', '_sum', '_avg', '_Packets_pct_95', '_count_distinct']);
    const aliased = compile('_sourceCategory=v | sum(bytes) as total by dest_ip | sort total asc');
    assert.deepEqual(aliased.columns, ['dest_ip', 'total']);
    assert.match(aliased.sql!, /ASC/);
  });

  test('field-extraction names work without a parse', () => {
    const r = compile('_sourceCategory=v | where action = "REJECT" and dest_port = 22 | count by src_ip');
    assert.match(r.sql!, /"dstport" = 22/);
    assert.deepEqual(r.columns, ['src_ip', '_count']);
  });

  test('top, timeslice, lookup, if and matches compile', () => {
    assert.deepEqual(compile('_sourceCategory=v | top 5 src_ip').columns, ['src_ip', '_count']);
    assert.match(compile('_sourceCategory=v | top 5 src_ip').sql!, /LIMIT 5/);
    assert.deepEqual(compile('_sourceCategory=v | timeslice 5m | count by _timeslice').columns, [
      '_timeslice',
      '_count',
    ]);
    assert.match(
      compile('_sourceCategory=v | lookup name from protocols on protocol=protocol | count by name').sql!,
      /protocol_name\(/,
    );
    assert.match(
      compile(
        '_sourceCategory=v | lookup service from services on port=dest_port, protocol=protocol | count by service',
      ).sql!,
      /service_name\(/,
    );
    assert.match(
      compile('_sourceCategory=v | if(action = "REJECT", 1, 0) as rejected | sum(rejected)').sql!,
      /CASE WHEN/,
    );
    assert.match(compile('_sourceCategory=v | where src_ip matches "10.0.*" | count').sql!, /LIKE '10\.0\.%'/);
  });

  test('parse extracts from the record text and drops records it does not match, unless nodrop', () => {
    const regex = compile('_sourceCategory=v | parse regex "eni-(?<eni_hex>[0-9a-f]+)" | count by eni_hex');
    assert.match(regex.sql!, /regexp_extract/);
    assert.match(regex.sql!, /IS NULL\)/);
    const kept = compile('_sourceCategory=v | parse "eni-* " as eni_hex nodrop | count by eni_hex');
    assert.doesNotMatch(kept.sql!, /IS NULL\)/);
    assert.deepEqual(kept.columns, ['eni_hex', '_count']);
  });

  test('isPrivateIP on a stored address compares the integer column', () => {
    const r = compile(`_sourceCategory=v | ${PARSE} | where isPrivateIP(src_ip) and !isPublicIP(dest_ip) | count`);
    assert.match(r.sql!, /src_ip4 BETWEEN 167772160 AND 184549375/);
    assert.match(r.sql!, /dst_ip4 BETWEEN/);
  });

  test('compareCIDRPrefix with a written address and length is a range on the integer column', () => {
    const r = compile(
      `_sourceCategory=v | ${PARSE} | where compareCIDRPrefix("172.20.0.0", src_ip, toInt(16)) | count`,
    );
    assert.match(r.sql!, /src_ip4 BETWEEN 2886991872 AND 2887057407/);
  });

  test('the 14-star parse binds in order whatever names are given', () => {
    const plan = parseSumo(`_sourceCategory=v | ${PARSE.replace('src_ip,dest_ip', 'a,b')}`);
    const stage = plan.stages[0]!;
    assert.equal(stage.kind, 'fields');
    if (stage.kind === 'fields')
      assert.deepEqual(
        stage.items.slice(3, 5).map((i) => [i.name, i.expr.kind === 'field' ? i.expr.name : '']),
        [
          ['a', 'srcaddr'],
          ['b', 'dstaddr'],
        ],
      );
  });

  test('the parse expressions the Sumo VPC apps publish compile', () => {
    const fer =
      compile(`_sourceCategory=aws/vpc | json "logStream", "logGroup", "message", "direction" as logStream, logGroup, msg, direction nodrop
| if (_raw matches "{*", msg, _raw) as msg
| ${PARSE.replace('field=message', 'field=msg')} nodrop
| count by Action`);
    assert.deepEqual(fer.columns, ['Action', '_count']);
    const ferFields = compile(`_sourceCategory=aws/vpc | json "message" as _rawvpc nodrop
| if (_raw matches "{*", _rawvpc,_raw) as message
| ${PARSE}
| fields interfaceid,src_ip,dest_ip,src_port,dest_port,protocol,packets,bytes,action,status`);
    assert.equal(ferFields.columns?.length, 10);
    const cse =
      compile(`_sourceCategory=x | json "logStream", "logGroup", "message", "direction" as logStream, logGroup, message, direction nodrop
| ${PARSE.replace('src_ip,dest_ip', 'srcDevice_ip,dstDevice_ip')}
| where action = "REJECT" | count by srcDevice_ip | top 20 srcDevice_ip by _count`);
    assert.deepEqual(cse.columns, ['srcDevice_ip', '_count']);
    assert.match(cse.sql!, /LIMIT 20/);
  });

  test('the threat-intel lookup reads the imported threat list; logreduce fails naming the operator and why', () => {
    const published = compileQuery(
      `_sourceCategory = Labs/AWS/VPC
| json "message"
| ${PARSE}
| where action="ACCEPT"
| lookup type, actor, raw , threatlevel as malicious_confidence,threat   from sumo://threat/cs on src_ip=threat
| where type="ip_address"`,
      { dialect: 'sumo' },
    );
    assert.deepEqual(published.diagnostics, []);
    assert.match(published.sql!, /"lookup_threat"/);
    const clustering = '_sourceCategory=v | count by action | logreduce';
    const t = problem(clustering);
    assert.match(t.message, /`logreduce` operator is not supported: it needs Sumo Logic's pattern clustering/);
    assert.equal(t.span.column, clustering.indexOf('logreduce') + 1);
  });

  test('mistakes come back with a position and a hint', () => {
    const unknown = problem('_sourceCategory=v | cuont by src_ip');
    assert.match(unknown.message, /Unknown operator `cuont`/);
    assert.equal(unknown.span.column, 21);
    assert.match(unknown.hint ?? '', /count/);
    // Insights text with Sumo chosen: the hint names the language, not the closest Sumo operator.
    const insights = problem('filter action = "REJECT" | stats count(*) as c');
    assert.match(insights.message, /Unknown operator `stats`/);
    assert.equal(
      insights.hint,
      '`stats` is a CloudWatch Logs Insights command: choose Logs Insights to run the query as Insights',
    );
    const stars = problem('_sourceCategory=v | parse "a=* b=*" as a');
    assert.match(stars.message, /2 `\*` but 1 name/);
    const json = problem('_sourceCategory=v | json "eventName"');
    assert.match(json.message, /no JSON key `eventName`/);
    // `dedup 2` alone is `dedup 2 by _raw` (the dedup page); a `by` needs its fields.
    assert.match(problem('_sourceCategory=v | dedup 2 by').message, /a field should be/);
    // Source metadata is no field of the workspace's records: said so, with what names a record's origin.
    const metadata = problem('_sourceCategory=v | count by _sourceName');
    assert.match(metadata.message, /Unknown field `_sourceName`/);
    assert.match(metadata.hint ?? '', /metadata Sumo's collectors give a source.*`@log` names the file/);
    const path = problem('_sourceCategory=v | if(true, "{}", "") as doc | json field=doc "a[" as a');
    assert.match(path.message, /`a\[` is not a JSON path/);
  });

  test('json field=f reads paths of a field holding JSON, dropping records without the key unless nodrop', () => {
    const q = (tail: string) =>
      compile(`_sourceCategory=v | ${PARSE} | if(true, "{}", "") as doc | json field=doc ${tail} | count by a, b`).sql!;
    const dropping = q(`"labels[*].name", "last_updated" as a, b`);
    assert.match(dropping, /json_extract\(.*'\$\."labels"\[\*\]\."name"'/);
    assert.match(dropping, /json_extract_string\(.*'\$\."last_updated"'/);
    assert.match(dropping, /NOT coalesce\(\(.* IS NULL\), FALSE\)/);
    assert.doesNotMatch(q(`"['odd key'][0]", "b" as a, b nodrop`), /IS NULL\), FALSE/);
    assert.match(q(`"['odd key'][0]", "b" as a, b nodrop`), /'\$\."odd key"\[0\]'/);
  });
});

test('limit takes 1 to 10,000 results, as Sumo’s limit page says (“You cannot use limit 10001 or more”)', () => {
  assert.equal(compile('_sourceCategory=vpc | count by srcaddr | limit 10000').sql !== null, true);
  for (const n of ['10001', '0']) {
    const p = problem(`_sourceCategory=vpc | count by srcaddr | limit ${n}`);
    assert.match(p.message, /`limit` is a whole number from 1 to 10000/);
    assert.equal(p.span.column, '_sourceCategory=vpc | count by srcaddr | limit '.length + 1);
  }
});

test('min and max of two arguments are the math functions, of one the aggregates, in any place', () => {
  const math = parseSumo('_sourceCategory=vpc | min(bytes, 700) as a | where max(packets, 2) > 1').stages;
  assert.deepEqual(
    math.map((s) => s.kind),
    ['fields', 'filter'],
  );
  assert.match(compile('_sourceCategory=vpc | min(bytes, 700) as a | fields a').sql!, /least\("bytes", 700\) AS "a"/);
  const aggregate = parseSumo('_sourceCategory=vpc | min(bytes) as lo, max(bytes) by action').stages.at(-1);
  assert.ok(aggregate?.kind === 'stats' && aggregate.aggregates.length === 2);
  assert.match(problem('_sourceCategory=vpc | min(bytes, 1, 2) as m').message, /takes 1 argument/);
});

test('topk(n, fields) [by groups] ranks in a window and keeps the first n of each group', () => {
  const stage = parseSumo(
    '_sourceCategory=vpc | count by src_ip, action | topk(2, _count, src_ip) by action',
  ).stages.at(-1);
  assert.ok(stage?.kind === 'topk');
  assert.equal(stage.count, 2);
  assert.deepEqual(
    stage.keys.map((k) => k.name),
    ['_count', 'src_ip'],
  );
  assert.deepEqual(
    stage.by.map((k) => k.name),
    ['action'],
  );
  const r = compile('_sourceCategory=vpc | count by src_ip, action | topk(2, _count) by action');
  assert.deepEqual(r.columns, ['src_ip', 'action', '_count', '_rank']);
  assert.match(r.sql!, /row_number\(\) OVER \(PARTITION BY \w+ ORDER BY \w+ DESC NULLS LAST\)/);
  assert.match(r.sql!, /WHERE \(?_c\d+ <= 2\)?/);
  assert.match(problem('_sourceCategory=vpc | count by action | topk(0, _count)').message, /1 or more rows/);
  assert.match(problem('_sourceCategory=vpc | count by action | topk(5)').message, /field to rank by/);
  assert.match(problem('_sourceCategory=vpc | count by action | topk(5, nope)').message, /Unknown field `nope`/);
});

test('a calendar unit, which only Insights bins by, is refused in Sumo where it is written', () => {
  const d = problem('_sourceCategory=vpc | timeslice 1mo | count by _timeslice');
  assert.match(d.message, /`mo` is a calendar unit, which this dialect does not take/);
  assert.deepEqual([d.span.line, d.span.column, d.span.length], [1, 33, 3]);
});

test('a field redefined from itself many times compiles to SQL that grows with the query, not doubling', () => {
  const remaps = Array.from({ length: 40 }, (_, i) => `| if(protocol = "${i}", "P${i}", protocol) as protocol`);
  const sql = compile(`_sourceCategory=vpc ${remaps.join(' ')} | count by protocol`).sql!;
  assert.ok(sql.length < 200_000, `${sql.length} characters of SQL for 40 lines`);
  assert.match(sql, /'P39'/);
  // Below the bound it stays inline: the VPC app's first remaps are one SELECT.
  assert.doesNotMatch(compile('_sourceCategory=vpc | if(protocol = "6", "TCP", protocol) as protocol').sql!, /AS _s\d/);
});
