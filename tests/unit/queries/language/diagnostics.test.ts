import assert from 'node:assert/strict';
import { test } from 'node:test';
import { re2Pattern } from '../../../../queries/language/re2';
import { compileQuery } from '../../../../queries/language';

/** A wrong query, where its mistake is (line, column, length), what is said about it, and the hint. */
type Case = [query: string, line: number, column: number, length: number, message: string, hint?: string];

const AFTER_STATS = (fields: string) => `after stats, the fields are: ${fields}`;

const CASES: Case[] = [
  ['filtr action = "REJECT"', 1, 1, 5, 'Unknown command `filtr`.', 'did you mean `filter`?'],
  [
    'SELEC count(*) FROM flows',
    1,
    1,
    5,
    'Unknown command `SELEC`.',
    'did you mean `SELECT`? A query that starts with SELECT or WITH is read as SQL',
  ],
  ['filter action = "REJECT', 1, 17, 7, 'This string has no closing quote.', 'end it with "'],
  ['filter action = "REJECT" | limit ten', 1, 34, 3, 'Expected a whole number, found `ten`.', 'for example: limit 20'],
  ['limit 1.5', 1, 7, 3, 'Expected a whole number, found `1.5`.', 'for example: limit 20'],
  [
    'filter action = "REJECT" |',
    1,
    27,
    0,
    'The query ends where a command should be.',
    'commands: fields, display, filter, stats, sort, limit, parse, dedup, filterIndex, unnest, lookup, pattern, diff, fillmissing, anomaly, countFrequent, unmask, where, expand, accum, autoregress, filldown, addtotals, sessionize, outlier, logcompare, cidrlookup, relevantfields, join, appendcols',
  ],
  [
    '| filter action = "REJECT"',
    1,
    1,
    1,
    'Expected a command, found `|`.',
    'commands: fields, display, filter, stats, sort, limit, parse, dedup, filterIndex, unnest, lookup, pattern, diff, fillmissing, anomaly, countFrequent, unmask, where, expand, accum, autoregress, filldown, addtotals, sessionize, outlier, logcompare, cidrlookup, relevantfields, join, appendcols',
  ],
  [
    'stats summ(bytes) by srcAddr',
    1,
    7,
    4,
    "Unknown function `summ`: neither CloudWatch Logs Insights nor Flowscope's enrichment has a function of that name.",
    'did you mean `sum`?',
  ],
  [
    'filter isIpv4InSubnt(srcAddr, "10.0.0.0/8")',
    1,
    8,
    13,
    "Unknown function `isIpv4InSubnt`: neither CloudWatch Logs Insights nor Flowscope's enrichment has a function of that name.",
    'did you mean `isIpv4InSubnet`?',
  ],
  [
    'filter sum(bytes) > 10',
    1,
    8,
    3,
    '`sum` is an aggregate function: use it in stats.',
    'for example: stats sum(...) by srcAddr',
  ],
  [
    'stats bytes by srcAddr',
    1,
    7,
    5,
    '`bytes` must be inside an aggregate function here.',
    'for example sum(bytes), or put it after `by`',
  ],
  ['stats sum(sum(bytes))', 1, 11, 3, 'Aggregate functions cannot be nested.'],
  [
    'filter isIpv4InSubnet(srcAddr, "10.0.0.0/33")',
    1,
    32,
    13,
    '`10.0.0.0/33` is not a CIDR range.',
    'write it as 10.0.0.0/8 or 2001:db8::/32',
  ],
  [
    'filter isIpv4InSubnet(srcAddr, "10.0.0.0/8x")',
    1,
    32,
    13,
    '`10.0.0.0/8x` is not a CIDR range.',
    'write it as 10.0.0.0/8 or 2001:db8::/32',
  ],
  [
    'filter isIpv4InSubnet(srcAddr)',
    1,
    8,
    23,
    '`isIpv4InSubnet` takes 2 arguments, not 1.',
    'isIpv4InSubnet(ip, cidr)',
  ],
  [
    'filter isIpv4InSubnet(srcAddr, "2001:db8::/32")',
    1,
    32,
    15,
    'isIpv4InSubnet() takes an IPv4 range.',
    'use isIpInSubnet for IPv6 ranges',
  ],
  [
    'filter isIpInSubnet(srcAddr, dstAddr)',
    1,
    30,
    7,
    'isIpInSubnet() needs a CIDR as a quoted string here.',
    'for example "10.0.0.0/8"',
  ],
  [
    'stats count(*) by bin(5x)',
    1,
    23,
    2,
    'Unknown time unit `x`.',
    'use one of ms, s, sec, m, min, h, hr, d, w, mo, q, y',
  ],
  ['stats count(*) by bin(1.5mo)', 1, 23, 5, 'A calendar period is a whole number of mo.', 'for example 1mo'],
  ['stats count(*) by bin(5)', 1, 23, 1, 'bin() needs a time span such as 5m or 1h.', 'units: ms, s, m, h, d, w'],
  [
    'stats pct(bytes, 150)',
    1,
    18,
    3,
    'pct() needs a percentage between 0 and 100 as its second argument.',
    'for example pct(bytes, 95)',
  ],
  ['filter dstPort in [22, 3389', 1, 28, 0, 'The query ends where `]` to end the list should be.'],
  ['filter dstPort not 22', 1, 20, 2, 'Expected `in` or `like` after `not`, found `22`.'],
  ['filter (action = "REJECT"', 1, 26, 0, 'The query ends where `)` should be.'],
  ['filter srcAddr =~ /10\\.0\\.', 1, 19, 8, 'This regular expression has no closing `/`.', 'end it with `/`'],
  [
    'filter srcAddr =~ /10[.0/ | limit 5',
    1,
    22,
    1,
    'This `[` opens a character class that is never closed (a `/` within it is one of its characters).',
    'close it with `]`, or write `\\[` for a bracket',
  ],
  ['filter srcAddr =~ /x/g', 1, 19, 4, 'Unknown regular expression flag `g`.', 'only `i` (ignore case) is supported'],
  ['parse @message "* *" as a', 1, 25, 1, 'The pattern has 2 `*` but 1 name follows `as`.', 'give one name per *'],
  ['parse @message "abc" as a', 1, 16, 5, 'This pattern has no `*` to extract.', 'mark each part to extract with *'],
  [
    'parse @message /(\\d+)/',
    1,
    16,
    7,
    'This regular expression names no fields.',
    'name the parts to extract: /(?<port>\\d+)/',
  ],
  [
    "parse @message /(?<a'b>\\d+)/",
    1,
    17,
    7,
    "`a'b` is not a field name a group can give: a name is letters, digits, `_`, `@` and `.`, not starting with a digit.",
  ],
  ['parse @message "* *" a, b', 1, 22, 1, 'Expected `as` and the names of the parts, found `a`.'],
  [
    'stats count(*) as n, sum(bytes) as n',
    1,
    22,
    15,
    'Two result columns are named `n`.',
    'give one of them another name with `as`',
  ],
  ['sort', 1, 5, 0, 'The query ends where a field, value or function should be.'],
  ['fields srcAddr dstAddr', 1, 16, 7, 'Unexpected `dstAddr`.', 'separate items with `,` and commands with `|`'],
  // An address without quotes reads as the number 10.0 and then `.0`.
  ['filter srcAddr = 10.0.0.1', 1, 22, 2, 'Unexpected `.0`.', 'an address is text: write "10.0.0.1", in quotes'],
  [
    '# top talkers\nstats sum(bytes) as b by srcAddr\n| sort b desc\n| limit x',
    4,
    9,
    1,
    'Expected a whole number, found `x`.',
    'for example: limit 20',
  ],
  [
    'stats count(*) by srcAddr | stats earliest(srcAddr)',
    1,
    35,
    17,
    '`earliest` needs the record time, which is gone after stats.',
    'group by bin(...) in the first stats instead',
  ],
  ['filter toupper(action, 1) = "X"', 1, 8, 18, '`toupper` takes 1 argument, not 2.', 'toupper(text)'],
  ['stats count(bytes, packets)', 1, 7, 21, '`count` takes 0 or 1 arguments, not 2.', 'count(*) | count(field)'],
  ['filter ispresent(srcAddr) and', 1, 30, 0, 'The query ends where a field, value or function should be.'],
  ['display srcAddr as', 1, 19, 0, 'The query ends where a name after `as` should be.'],
  ['sort srcAddr descending', 1, 14, 10, 'Expected `asc` or `desc`, found `descending`.', 'did you mean `desc`?'],
  // As close to `asc` as to `desc`: the one that starts as the typo does.
  ['sort bytes dsc', 1, 12, 3, 'Expected `asc` or `desc`, found `dsc`.', 'did you mean `desc`?'],
  ['stats count(*) by', 1, 18, 0, 'The query ends where a field, value or function should be.'],
  ['filter action = "REJECT" | stats', 1, 33, 0, 'The query ends where a field, value or function should be.'],
  ['filter bytes > 10 & packets > 1', 1, 19, 1, 'Unexpected character `&`.'],
  ['stats sum(*) by srcAddr', 1, 7, 6, '`sum(*)` is not allowed.', 'write sum(field)'],
  // A Java date pattern (parseDate's form) given to formatDate, which would answer the pattern on every row.
  [
    'fields formatDate(@timestamp, "yyyy-MM-dd HH:mm", "Europe/Berlin") as j',
    1,
    31,
    18,
    'formatDate takes strftime conversions such as %Y-%m-%d; "yyyy-MM-dd HH:mm" has none and is a Java date pattern (the form parseDate reads), which formatDate would return as written on every row.',
    'write it as "%Y-%m-%d %H:%M"',
  ],
  [
    'fields strftime(@timestamp, "dd/MM/yyyy") as d',
    1,
    29,
    12,
    'strftime takes strftime conversions such as %Y-%m-%d; "dd/MM/yyyy" has none and is a Java date pattern (the form parseDate reads), which strftime would return as written on every row.',
    'write it as "%d/%m/%Y"',
  ],
];

/**
 * A field the records do not have: as in CloudWatch, the query runs and the field is null, with a warning
 * where it is named and the nearest field.
 */
const MISSING_FIELDS: Case[] = [
  [
    'filter srcadr = "10.0.0.1"',
    1,
    8,
    6,
    'No field `srcadr` here: it is null in every record.',
    'did you mean `srcAddr`?',
  ],
  [
    'stats count(*) by dstadr',
    1,
    19,
    6,
    'No field `dstadr` here: it is null in every record.',
    'did you mean `dstAddr`?',
  ],
  [
    'filter logStatus = "OK" and dstPrt = 22',
    1,
    29,
    6,
    'No field `dstPrt` here: it is null in every record.',
    'did you mean `dstPort`?',
  ],
  [
    'stats sum(bytes) by srcAddr | sort bytes desc',
    1,
    36,
    5,
    'No field `bytes` here: it is null in every record.',
    AFTER_STATS('srcAddr, sum(bytes)'),
  ],
  [
    'stats count(*) as n by srcAddr | sort cnt desc',
    1,
    39,
    3,
    'No field `cnt` here: it is null in every record.',
    AFTER_STATS('srcAddr, n'),
  ],
  [
    'filter action = "REJECT"\n| stats count(*) by srcAddr\n| sort count desc',
    3,
    8,
    5,
    'No field `count` here: it is null in every record.',
    AFTER_STATS('srcAddr, count(*)'),
  ],
];

for (const [query, line, column, length, message, hint] of MISSING_FIELDS) {
  test(`a missing field is null with a warning where it is named: ${JSON.stringify(query)}`, () => {
    const result = compileQuery(query, { dialect: 'insights' });
    assert.notEqual(result.sql, null);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.warnings?.length, 1);
    const [w] = result.warnings!;
    assert.deepEqual({ line: w!.span.line, column: w!.span.column, length: w!.span.length }, { line, column, length });
    assert.equal(w!.message, message);
    assert.equal(w!.hint, hint);
    assert.match(result.sql!, /NULL/);
  });
}

test('a flow-log field named otherwise than CloudWatch discovers it is found, and the query says CloudWatch would not find it', () => {
  const result = compileQuery('filter dstport = 22 and srcAddr = "10.0.0.1" | stats count(*) by start', {
    dialect: 'insights',
  });
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(
    result.warnings?.map((w) => [w.span.column, w.message, w.hint]),
    [
      [
        8,
        'CloudWatch names this field `dstPort`: there `dstport` is a field no record has (names keep their case).',
        'write `dstPort` to run the same query in CloudWatch',
      ],
      [
        66,
        'CloudWatch names this field `startTime`: there `start` is a field no record has (names keep their case).',
        'write `startTime` to run the same query in CloudWatch',
      ],
    ],
  );
  // CloudWatch's own names, a name a parse gives, and Sumo (whose names ignore case) say nothing.
  const quiet = [
    ['filter dstPort = 22 and logStatus = "OK" | stats sum(bytes) by srcAddr, startTime, @logStream', 'insights'],
    ['parse @message "* * * * *" as version, a, b, srcaddr, rest | filter srcaddr = "10.0.0.1"', 'insights'],
    ['_sourceCategory=vpc | where dstport = 22 | count', 'sumo'],
  ] as const;
  for (const [query, dialect] of quiet) assert.deepEqual(compileQuery(query, { dialect }).warnings ?? [], [], query);
});

test('an Insights query run as Sumo, which Sumo reads as search words, says so', () => {
  const result = compileQuery('  stats count(*) by action', { dialect: 'sumo' });
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(
    result.warnings?.map((w) => [w.span.column, w.span.length, w.message, w.hint]),
    [
      [
        3,
        5,
        'Sumo reads the words before the first | as a search every record must contain, `stats` among them: this text is a CloudWatch Logs Insights query.',
        'choose Insights to run it as one',
      ],
    ],
  );
  // Sumo's own queries, and words that open no Insights query, say nothing.
  for (const query of ['REJECT | count by srcaddr', 'stats | count', 'filter', 'sort of words here'])
    assert.deepEqual(compileQuery(query, { dialect: 'sumo' }).warnings ?? [], [], query);
});

test('the warning costs little on hostile text: deep nesting answers the nesting diagnostic, thousands of names the warning', () => {
  // The warning parses the text a second time: it must not run past the first error, nor take the stack.
  const cpu = (query: string) => {
    const started = process.cpuUsage();
    const result = compileQuery(query, { dialect: 'sumo' });
    const used = process.cpuUsage(started);
    return { result, ms: (used.user + used.system) / 1000 };
  };
  const deep = cpu(`stats count(*) by ${'('.repeat(100_000)}action${')'.repeat(100_000)}`);
  assert.equal(deep.result.sql, null);
  assert.match(deep.result.diagnostics[0]!.message, /nest/i);
  assert.deepEqual(deep.result.warnings ?? [], []);
  assert.ok(deep.ms < 3000, `${deep.ms} ms`);
  const names = Array.from({ length: 20_000 }, (_, i) => `f${i}`).join(', ');
  const many = cpu(`stats count(*) by ${names}`);
  assert.equal(many.result.warnings?.length, 1);
  assert.ok(many.ms < 15_000, `${many.ms} ms`);
});

test(`at least 30 wrong queries are tested`, () => {
  assert.ok(CASES.length >= 30);
});

for (const [query, line, column, length, message, hint] of CASES) {
  test(`a wrong query is reported where its mistake is: ${JSON.stringify(query)}`, () => {
    const result = compileQuery(query, { dialect: 'insights' });
    assert.equal(result.sql, null);
    assert.equal(result.diagnostics.length, 1);
    const [d] = result.diagnostics;
    assert.deepEqual({ line: d!.span.line, column: d!.span.column, length: d!.span.length }, { line, column, length });
    assert.equal(d!.message, message);
    assert.equal(d!.hint, hint);
  });
}

test('the unquoted-address hint reads only next to the mistake: a long run of digits before it takes no longer', () => {
  // Read from the whole text before the mistake, 20,000 digits took 0.25 s, growing as their square.
  const query = (n: number) => `filter srcAddr = "${'1'.repeat(n)}" 1.5.5`;
  const cpu = (n: number) => {
    const started = process.cpuUsage();
    const [d] = compileQuery(query(n), { dialect: 'insights' }).diagnostics;
    assert.equal(d!.hint, 'separate items with `,` and commands with `|`');
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  };
  cpu(1000);
  // 1.6 s of CPU before, about 30 ms now.
  assert.ok(cpu(50_000) < 200, 'a 50,000-digit run before the mistake');
  // A run of digits and dots longer than an address, cut to one by the window, is not named as one.
  const [d] = compileQuery('filter srcAddr = 9255.255.255.255', { dialect: 'insights' }).diagnostics;
  assert.equal(d!.hint, 'separate items with `,` and commands with `|`');
});

test('in Sumo too, an address without quotes is named, written as the text it must be', () => {
  const [d] = compileQuery('_sourceCategory=vpc | where src_ip = 10.0.0.1', { dialect: 'sumo' }).diagnostics;
  assert.deepEqual([d!.message, d!.hint], ['Unexpected `.0`.', 'an address is text: write "10.0.0.1", in quotes']);
  // Anything else unexpected keeps the hint it had.
  const [e] = compileQuery('_sourceCategory=vpc | count by action action', { dialect: 'sumo' }).diagnostics;
  assert.equal(e!.hint, 'separate operators with `|`');
});

test("Sumo's formatDate without a format is refused saying why: its page names no pattern for it", () => {
  const query = '_sourceCategory=vpc | formatDate(_messageTime) as d';
  const [d] = compileQuery(query, { dialect: 'sumo' }).diagnostics;
  assert.match(
    d!.message,
    /without one Sumo writes a "US-style date format", and its reference does not say which pattern/,
  );
  assert.equal(d!.span.offset, query.indexOf('formatDate'));
  assert.equal(d!.span.length, 'formatDate(_messageTime)'.length);
  assert.match(d!.hint ?? '', /formatDate\(_messageTime, "MM\/dd\/yyyy HH:mm:ss"\)/);
});

test('SQL that is not a query is refused at its first word', () => {
  const result = compileQuery("/* x */ COPY flows TO '/tmp/x'");
  assert.equal(result.dialect, 'sql');
  assert.equal(result.refused, true);
  assert.deepEqual(result.diagnostics[0]!.span, { offset: 8, line: 1, column: 9, length: 4 });
});

test("named groups are written as DuckDB's RE2 reads them, outside escapes and character classes", () => {
  assert.equal(re2Pattern('(?<net>10)\\.(?<host>\\d+)'), '(?P<net>10)\\.(?P<host>\\d+)');
  // Look-behinds, escaped parentheses, a class holding `(?<x>` and RE2's own form stay as they are.
  for (const kept of ['(?<=a)b', '(?<!a)b', '\\(?<x>', '[(?<x>]', '(?P<x>a)', '(?:a)'])
    assert.equal(re2Pattern(kept), kept);
});

test('formatDate with strftime conversions, or text that spells no Java date pattern, compiles', () => {
  for (const query of [
    'fields formatDate(@timestamp, "%Y-%m-%d %H:%M", "Europe/Berlin") as s',
    'fields formatDate(@timestamp, "%d/%m/%Y yyyy") as mixed',
    'fields formatDate(@timestamp, "week") as w, strftime(@timestamp, "-") as d',
  ])
    assert.deepEqual(compileQuery(query, { dialect: 'insights' }).diagnostics, [], query);
});

test('SQL read as Insights because Insights was chosen says to choose SQL, not "did you mean `SELECT`?"', () => {
  for (const query of ['SELECT action, count(*) FROM flows GROUP BY 1', 'with x as (select 1) select * from x']) {
    const [problem] = compileQuery(query, { dialect: 'insights' }).diagnostics;
    assert.ok(problem, query);
    assert.doesNotMatch(problem.hint ?? '', /did you mean/, query);
    assert.match(
      problem.hint ?? '',
      /is SQL, read here as Insights because Insights was chosen: choose the SQL dialect/,
    );
  }
});
