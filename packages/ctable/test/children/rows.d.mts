import type { Row } from "../../src/index.js";
export declare const COLUMNS: Record<string, { dtype: string; nullable?: boolean }>;
export declare function rowAt(i: number): Row;
export declare function rowsFrom(from: number, to: number): Row[];
export declare function batchAfter(n: number): number;
