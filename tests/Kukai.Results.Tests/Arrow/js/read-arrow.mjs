// Reads an Arrow IPC *file* with the official apache-arrow package and prints it as JSON:
// { isFile, numRecordBatches, batchLengths, schema: [{ name, type, typeId, nullable, unit, timezone,
//   bitWidth, isSigned }], rows: [{ column: value }] }.
// 64-bit values (Int64, Timestamp) are printed as decimal strings from the raw buffer, so nothing is
// rounded through a JS number; nulls are printed as null.
// Usage: node read-arrow.mjs <file.arrow>
import { readFileSync } from 'node:fs';
import { RecordBatchFileReader, Type, TimeUnit } from 'apache-arrow';

const path = process.argv[2];
if (!path) {
  console.error('usage: node read-arrow.mjs <file.arrow>');
  process.exit(2);
}

const reader = RecordBatchFileReader.from(readFileSync(path));
reader.open();
if (!reader.isFile()) {
  console.error(`${path} was not read as an Arrow IPC file`);
  process.exit(3);
}

const schema = reader.schema.fields.map((f) => ({
  name: f.name,
  type: String(f.type),
  typeId: Type[f.type.typeId],
  nullable: f.nullable,
  unit: f.type.unit === undefined || f.type.unit === null ? null : TimeUnit[f.type.unit],
  timezone: f.type.timezone ?? null,
  bitWidth: f.type.bitWidth ?? null,
  isSigned: f.type.isSigned ?? null,
}));

const value = (vector, data, type, i) => {
  if (!vector.isValid(i)) return null;
  switch (type.typeId) {
    case Type.Timestamp:
    case Type.Int:
      if (type.typeId === Type.Timestamp || type.bitWidth === 64) {
        const view = new DataView(data.values.buffer, data.values.byteOffset, data.values.byteLength);
        return view.getBigInt64((data.offset + i) * 8, true).toString();
      }
      return vector.get(i);
    default:
      return vector.get(i);
  }
};

const rows = [];
const batchLengths = [];
const numRecordBatches = reader.numRecordBatches;
for (let b = 0; b < numRecordBatches; b++) {
  const batch = reader.readRecordBatch(b);
  batchLengths.push(batch.numRows);
  const columns = reader.schema.fields.map((f, c) => {
    const vector = batch.getChildAt(c);
    if (vector.data.length !== 1) throw new Error(`column ${f.name} has ${vector.data.length} chunks`);
    return { name: f.name, type: f.type, vector, data: vector.data[0] };
  });
  for (let i = 0; i < batch.numRows; i++) {
    const row = {};
    for (const c of columns) row[c.name] = value(c.vector, c.data, c.type, i);
    rows.push(row);
  }
}

process.stdout.write(JSON.stringify({ isFile: true, numRecordBatches, batchLengths, schema, rows }));
