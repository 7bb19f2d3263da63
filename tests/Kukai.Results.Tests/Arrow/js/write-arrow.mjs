// Writes an Arrow IPC *file* in the requests.arrow schema with the official apache-arrow package.
// Input: a JSON array of rows { timestamp, driver_id, target, latency_us, status, success, error,
// bytes_sent, bytes_received }, 64-bit values as decimal strings; error may be null.
// Usage: node write-arrow.mjs <rows.json> <out.arrow> <rowsPerBatch>
import { readFileSync, writeFileSync } from 'node:fs';
import {
  Bool, Field, Int32, Int64, RecordBatch, Schema, Struct, Table, TimestampNanosecond, Utf8,
  makeData, tableToIPC, vectorFromArray,
} from 'apache-arrow';

const [input, output, perBatchArg] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node write-arrow.mjs <rows.json> <out.arrow> <rowsPerBatch>');
  process.exit(2);
}

const rows = JSON.parse(readFileSync(input, 'utf8'));
const perBatch = Math.max(1, Number(perBatchArg ?? rows.length) || 1);

const fields = [
  new Field('timestamp', new TimestampNanosecond('UTC'), false),
  new Field('driver_id', new Utf8(), false),
  new Field('target', new Utf8(), false),
  new Field('latency_us', new Int64(), false),
  new Field('status', new Int32(), false),
  new Field('success', new Bool(), false),
  new Field('error', new Utf8(), true),
  new Field('bytes_sent', new Int64(), false),
  new Field('bytes_received', new Int64(), false),
];
const schema = new Schema(fields);

const int64s = (slice, key) => BigInt64Array.from(slice, (r) => BigInt(r[key]));

const batches = [];
for (let start = 0; start < rows.length; start += perBatch) {
  const slice = rows.slice(start, start + perBatch);
  const children = [
    makeData({ type: fields[0].type, length: slice.length, nullCount: 0, data: int64s(slice, 'timestamp') }),
    vectorFromArray(slice.map((r) => r.driver_id), new Utf8()).data[0],
    vectorFromArray(slice.map((r) => r.target), new Utf8()).data[0],
    makeData({ type: fields[3].type, length: slice.length, nullCount: 0, data: int64s(slice, 'latency_us') }),
    makeData({ type: fields[4].type, length: slice.length, nullCount: 0, data: Int32Array.from(slice, (r) => r.status) }),
    vectorFromArray(slice.map((r) => r.success), new Bool()).data[0],
    vectorFromArray(slice.map((r) => r.error), new Utf8()).data[0],
    makeData({ type: fields[7].type, length: slice.length, nullCount: 0, data: int64s(slice, 'bytes_sent') }),
    makeData({ type: fields[8].type, length: slice.length, nullCount: 0, data: int64s(slice, 'bytes_received') }),
  ];
  const struct = makeData({ type: new Struct(fields), length: slice.length, nullCount: 0, children });
  batches.push(new RecordBatch(schema, struct));
}

writeFileSync(output, tableToIPC(new Table(schema, batches), 'file'));
