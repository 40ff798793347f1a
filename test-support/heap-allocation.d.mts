/** True where the heap's figure moves with every allocation and collections are reported (Node, Deno). */
export declare const countsAllocations: boolean;
/** Bytes the heap took while `run` ran (synchronous). */
export declare function allocatedOver(run: () => void): number;
/** Bytes the heap took while `run` ran, awaiting it. */
export declare function allocatedOverAsync(run: () => Promise<void>): Promise<number>;
