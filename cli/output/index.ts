export { processIo, type CliIo, type InputStream, type OutputStream } from './io.ts';
export { writeJson } from './json.ts';
export { renderTable, type Table } from './table.ts';
export { formatSeconds, formatTime, orNa } from './format.ts';
