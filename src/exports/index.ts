/** Public surface of the exports layer: write captures as a logic analyzer user would get them. */
export { writeVcd } from './vcd.ts';
export type { VcdWriteOptions } from './vcd.ts';
export { writeSaleaeCsv } from './saleae-csv.ts';
export type { SaleaeCsvWriteOptions } from './saleae-csv.ts';
export { writeSigrokSr } from './sigrok-sr.ts';
export type { SrWriteOptions } from './sigrok-sr.ts';
export { writeSaleaeAnalyzer } from './saleae-analyzer.ts';
export type { SaleaeAnalyzerWriteOptions } from './saleae-analyzer.ts';
export { ExportError } from './output.ts';
