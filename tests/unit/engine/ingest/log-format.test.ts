import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_LAYOUT,
  parseCsvHeader,
  parseHeaderLine,
  parseLogFormat,
} from '../../../../main/engine/ingest/log-format';
import { FlowscopeError } from '../../../../main/engine/errors';

const names = (layout: { fields: { kind: string; field?: { column: string }; name?: string }[] }) =>
  layout.fields.map((f) => (f.kind === 'known' ? f.field!.column : `extra:${f.name}`));

test('the header line AWS writes gives the fields in its order, with unknown names kept as extras', () => {
  const layout = parseHeaderLine('start end srcaddr version account-id new-thing log-status')!;
  assert.deepEqual(names(layout), [
    'start',
    'end',
    'srcaddr',
    'version',
    'account_id',
    'extra:new-thing',
    'log_status',
  ]);
  assert.equal(layout.description, 'start end srcaddr version account-id new-thing log-status');
});

test('a record line or a line of words that are not flow-log fields is not a header', () => {
  assert.equal(
    parseHeaderLine('2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 5000 6 1 40 1772409600 1772409660 ACCEPT OK'),
    undefined,
  );
  assert.equal(parseHeaderLine('dear team please find attached'), undefined);
  assert.equal(parseHeaderLine(''), undefined);
});

test('the default 14-field header is described as the default format', () => {
  assert.equal(
    parseHeaderLine(
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    )!.description,
    'default',
  );
  assert.equal(DEFAULT_LAYOUT.fields.length, 14);
});

test('a --log-format string as AWS writes it gives the same layout as the header with those fields', () => {
  const layout = parseLogFormat('${version} ${vpc-id} ${srcaddr}  ${tcp-flags}');
  assert.deepEqual(names(layout), ['version', 'vpc_id', 'srcaddr', 'tcp_flags']);
  assert.deepEqual(names(layout), names(parseHeaderLine('version vpc-id srcaddr tcp-flags')!));
});

test('a log format with a token that is not ${field}, or a field twice, is refused naming it', () => {
  assert.throws(
    () => parseLogFormat('${version} srcaddr'),
    (e: unknown) => e instanceof FlowscopeError && e.code === 'bad_request' && /"srcaddr"/.test(e.message),
  );
  assert.throws(() => parseLogFormat('${version} ${version}'), /"version" appears twice/);
  assert.throws(() => parseLogFormat('   '), /empty/);
});

test('a log format naming a field next to a known one is a typo, refused with the field meant; a newer one is kept', () => {
  // Before, ${srcadr} was taken for a newer field: the addresses went to `extra` and srcAddr was empty.
  assert.throws(
    () => parseLogFormat('${version} ${srcadr} ${start}'),
    /\$\{srcadr\} in the log format is not a flow-log field: did you mean `srcaddr`\?/,
  );
  assert.throws(() => parseLogFormat('${version} ${tcp-flag} ${start}'), /did you mean `tcp-flags`\?/);
  const newer = parseLogFormat('${version} ${srcaddr} ${start} ${encryption-status}');
  assert.equal(newer.fields.length, 4);
});

test("a header line in Athena's underscore names reads as the same fields, its partitions read past, like a CSV's", () => {
  const layout = parseHeaderLine('account_id version start END bytes packets log_status New_Thing date')!;
  assert.deepEqual(names(layout), [
    'account_id',
    'version',
    'start',
    'end',
    'bytes',
    'packets',
    'log_status',
    'extra:new-thing',
    'extra:date',
  ]);
  assert.equal(layout.fields.at(-1)!.kind, 'skip');
  assert.equal(layout.description, 'account-id version start end bytes packets log-status new-thing');
  assert.equal(
    parseHeaderLine(
      'version account_id interface_id srcaddr dstaddr srcport dstport protocol packets bytes start end action log_status',
    )!.description,
    'default',
  );
});

test("Flowscope's own derived columns in a header (its SELECT * export) are read past, as Athena's partitions are", () => {
  const layout = parseCsvHeader('version,start,end,vpc_id,start_time,end_time,src_ip4,dst_ip4,extra,import_id')!;
  assert.deepEqual(
    layout.fields.map((f) => f.kind),
    ['known', 'known', 'known', 'known', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip'],
  );
  assert.equal(layout.description, 'csv version start end vpc-id');
});
