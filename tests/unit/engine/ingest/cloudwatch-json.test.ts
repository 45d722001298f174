import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventsToText, parseCloudWatchExport } from '../../../../main/engine/ingest/cloudwatch-json';

test('filter-log-events output gives its events with their ids, in order', () => {
  const text = JSON.stringify({
    events: [
      { logStreamName: 's', timestamp: 5, message: 'a b', eventId: '77' },
      { timestamp: 6, message: 'c d', eventId: '78' },
    ],
    searchedLogStreams: [],
  });
  assert.deepEqual(parseCloudWatchExport(text, 'f.json'), [
    { id: '77', timestamp: 5, message: 'a b', stream: 's' },
    { id: '78', timestamp: 6, message: 'c d' },
  ]);
});

test('events written with their streams put each stream in front, URL-encoded, and - where none is named', () => {
  const events = [
    { timestamp: 1, message: 'a b', stream: 'eni-1-all' },
    { timestamp: 2, message: 'c\nd', stream: 'with space' },
    { timestamp: 3, message: 'e', stream: '-' },
    { timestamp: 4, message: 'f' },
  ];
  assert.equal(eventsToText(events, true), 'eni-1-all a b\nwith%20space c d\n%2D e\n- f\n');
  assert.equal(eventsToText(events), 'a b\nc d\ne\nf\n');
});

test('a subscription payload gives its logEvents; a control message gives none', () => {
  const data = JSON.stringify({
    messageType: 'DATA_MESSAGE',
    logGroup: 'g',
    logStream: 's',
    logEvents: [{ id: '1', timestamp: 9, message: 'x' }],
  });
  assert.deepEqual(parseCloudWatchExport(data, 'p.json'), [{ id: '1', timestamp: 9, message: 'x', stream: 's' }]);
  assert.deepEqual(
    parseCloudWatchExport(JSON.stringify({ messageType: 'CONTROL_MESSAGE', logEvents: [] }), 'c.json'),
    [],
  );
});

test('pages written one after another (one JSON document per line) are read in order', () => {
  const page = (m: string) => JSON.stringify({ events: [{ timestamp: 1, message: m }] });
  assert.deepEqual(
    parseCloudWatchExport(`${page('one')}\n${page('two')}\n`, 'p.json').map((e) => e.message),
    ['one', 'two'],
  );
});

test('a bare list of events (`--query events`) is read as the events', () => {
  assert.deepEqual(parseCloudWatchExport('[{"timestamp": 1, "message": "m"}]', 'l.json'), [
    { timestamp: 1, message: 'm' },
  ]);
});

test('JSON that is not an export of events is refused with the reason', () => {
  assert.throws(
    () => parseCloudWatchExport('{"users": []}', '/d/u.json'),
    /\/d\/u\.json is not a CloudWatch Logs export .*neither "events"/,
  );
  assert.throws(() => parseCloudWatchExport('{"events": [{"timestamp": 1}]}', 'e.json'), /event 1 has no message/);
  assert.throws(() => parseCloudWatchExport('{"events": [', 'bad.json'), /not valid JSON/);
});

test('each message becomes one line, whatever line breaks it carried', () => {
  assert.equal(
    eventsToText([
      { timestamp: 1, message: 'a b\n' },
      { timestamp: 2, message: 'c\r\nd' },
    ]),
    'a b\nc d\n',
  );
  assert.equal(eventsToText([]), '');
});

test("events one per line (`jq -c '.events[]'`) are read as the events, each with its stream", () => {
  const lines = [
    { logStreamName: 'eni-1-all', timestamp: 5, message: 'a b', ingestionTime: 9, eventId: '77' },
    { logStreamName: 'eni-2-all', timestamp: 6, message: 'c d', ingestionTime: 9, eventId: '78' },
  ].map((e) => JSON.stringify(e));
  assert.deepEqual(parseCloudWatchExport(`${lines.join('\n')}\n`, 'e.jsonl'), [
    { id: '77', timestamp: 5, message: 'a b', stream: 'eni-1-all' },
    { id: '78', timestamp: 6, message: 'c d', stream: 'eni-2-all' },
  ]);
  // One event alone is one JSON document.
  assert.deepEqual(parseCloudWatchExport(lines[0]!, 'one.json'), [
    { id: '77', timestamp: 5, message: 'a b', stream: 'eni-1-all' },
  ]);
});

test('Logs Insights results downloaded as CSV give their @message records, time and stream', () => {
  const csv =
    '@timestamp,@message,@logStream,@log\r\n' +
    '2023-11-14 22:13:20.000,2 1 eni-1 10.0.1.5 52.94.1.1 49152 443 6 10 5000 1700000000 1700000060 ACCEPT OK,eni-1-all,1:/vpc/flowlogs\r\n' +
    '"2023-11-14 22:14:20.000","2 1 eni-1 - - - - - - - 1700000060 1700000120 - NODATA","",1:/vpc/flowlogs\r\n';
  assert.deepEqual(parseCloudWatchExport(csv, 'logs-insights-results.csv'), [
    {
      timestamp: Date.UTC(2023, 10, 14, 22, 13, 20),
      message: '2 1 eni-1 10.0.1.5 52.94.1.1 49152 443 6 10 5000 1700000000 1700000060 ACCEPT OK',
      stream: 'eni-1-all',
    },
    {
      timestamp: Date.UTC(2023, 10, 14, 22, 14, 20),
      message: '2 1 eni-1 - - - - - - - 1700000060 1700000120 - NODATA',
    },
  ]);
  assert.throws(
    () => parseCloudWatchExport('@timestamp,@message\n2023-11-14 22:13:20.000,a,b\n', 'r.csv'),
    /r\.csv is not a CloudWatch Logs export of flow logs: line 2 has 3 values where its header names 2/,
  );
});

test("Flowscope's own CSV of Logs Insights records, its @ names and cells guarded with a ', reads as the console's", () => {
  // A custom format whose first field is `-` starts a message the guard writes as `'- …`.
  const csv =
    "\uFEFF'@timestamp,'@message,'@logStream\n" +
    '2023-11-14 22:13:20,2 1 eni-1 10.0.1.5 52.94.1.1 49152 443 6 10 5000 1700000000 1700000060 ACCEPT OK,eni-1-all\n' +
    "2023-11-14 22:14:20,'- eni-1 1700000060 1700000120,'=odd\n";
  assert.deepEqual(parseCloudWatchExport(csv, 'export.csv'), [
    {
      timestamp: Date.UTC(2023, 10, 14, 22, 13, 20),
      message: '2 1 eni-1 10.0.1.5 52.94.1.1 49152 443 6 10 5000 1700000000 1700000060 ACCEPT OK',
      stream: 'eni-1-all',
    },
    { timestamp: Date.UTC(2023, 10, 14, 22, 14, 20), message: '- eni-1 1700000060 1700000120', stream: '=odd' },
  ]);
});

test('Logs Insights results downloaded as JSON give their @message records', () => {
  const json = JSON.stringify([
    { '@timestamp': '2023-11-14 22:13:20.000', '@message': 'a b', '@logStream': 's', '@log': '1:/g' },
    { '@timestamp': 'not a time', '@message': 'c d' },
  ]);
  assert.deepEqual(parseCloudWatchExport(json, 'logs-insights-results.json'), [
    { timestamp: Date.UTC(2023, 10, 14, 22, 13, 20), message: 'a b', stream: 's' },
    { timestamp: 0, message: 'c d' },
  ]);
});

test('Logs Insights results without @message (a stats query) are refused, saying how to download the records', () => {
  const why =
    /results of the fields @timestamp, srcAddr, bytes, without the records themselves: run the query with `fields @timestamp, @message, @logStream`/;
  assert.throws(() => parseCloudWatchExport('@timestamp,srcAddr,bytes\n2023-11-14,10.0.0.1,5\n', 's.csv'), why);
  assert.throws(
    () =>
      parseCloudWatchExport(
        JSON.stringify([{ '@timestamp': '2023-11-14', srcAddr: '10.0.0.1', bytes: '5' }]),
        's.json',
      ),
    why,
  );
});
