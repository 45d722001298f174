import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { complete } from '../../../../../queries/language/complete';

const labels = (text: string, dialect?: 'sumo' | 'sql') =>
  complete(text, text.length, dialect).options.map((o) => o.label);

describe('Sumo and SQL completion', () => {
  test('offers the operators after a pipe', () => {
    const l = labels('_sourceCategory=vpc | ');
    for (const op of ['where', 'parse', 'count', 'sort', 'timeslice', 'lookup']) assert.ok(l.includes(op), op);
    assert.deepEqual(labels('_sourceCategory=vpc | tim'), ['timeslice']);
    assert.deepEqual(labels('_sourceCategory=vpc | count_f'), ['count_frequent']);
  });

  test("offers the built-in tables, Sumo Logic's published CSV addresses among them, after lookup … from", () => {
    const text = '_sourceCategory=vpc | lookup Keyword from ';
    const options = complete(text, text.length, 'sumo').options;
    const csv = options.find((o) => o.label.endsWith('sumologic-app-data/protocol-numbers.csv'));
    assert.equal(csv?.detail, 'Decimal → Keyword, Protocol');
    assert.deepEqual(labels('_sourceCategory=vpc | lookup name from prot'), ['protocols']);
  });

  test('offers the fields in scope, including those an aggregate made', () => {
    assert.ok(labels('_sourceCategory=vpc | where dest').includes('dest_ip'));
    assert.deepEqual(labels('_sourceCategory=vpc | sum(bytes) by dest_ip | sort _'), ['_sum']);
  });

  test('offers the enrichment functions with their docs', () => {
    const options = complete('_sourceCategory=vpc | where isPub', 32, 'sumo').options;
    assert.equal(options[0]?.label, 'isPublicIP');
    assert.match(options[0]?.doc ?? '', /internet address/);
  });

  test('offers the enrichment macros and tables in SQL', () => {
    assert.deepEqual(labels('SELECT service_', 'sql').sort(), ['service_name', 'service_names']);
    assert.ok(labels('SELECT is_p', 'sql').includes('is_private_ip'));
  });
});
