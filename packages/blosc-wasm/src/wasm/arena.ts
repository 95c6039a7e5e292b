import { getKernels, type KernelExports } from "./instance.js";

/**
 * A bump allocator over the kernels' linear memory. Codec calls are synchronous and never
 * nested, so each call resets the arena and carves its regions from the heap base; memory
 * only grows. Regions are 16-byte aligned for the SIMD kernels.
 */
export class Arena {
  private readonly wasm: KernelExports;
  private readonly base: number;
  private top: number;
  private view: Uint8Array;
  /** Counts resets, so a caller holding a region can tell whether someone else reused the arena. */
  generation = 0;

  constructor() {
    this.wasm = getKernels();
    this.base = this.wasm.heapBase();
    this.top = this.base;
    this.view = new Uint8Array(this.wasm.memory.buffer);
  }

  get kernels(): KernelExports {
    return this.wasm;
  }

  /** Forgets every region handed out so far. */
  reset(): void {
    this.top = this.base;
    this.generation++;
  }

  /** Reserves `size` bytes and returns their offset; grows the memory when needed. */
  alloc(size: number): number {
    const ptr = this.top;
    // SLACK lets kernels use whole-vector loads and stores at the end of a region.
    const end = ptr + ((size + SLACK + 15) & ~15);
    const have = this.wasm.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / 65536);
      this.wasm.memory.grow(pages);
    }
    this.top = end;
    return ptr;
  }

  /** A byte view of the whole memory; refreshed after growth detaches the old buffer. */
  bytes(): Uint8Array {
    if (this.view.buffer !== this.wasm.memory.buffer) this.view = new Uint8Array(this.wasm.memory.buffer);
    return this.view;
  }

  /**
   * Runs `use` on a copy of `data` placed above every region handed out, then releases it:
   * unlike `reset` + `put` it leaves a caller's regions (and the generation) untouched.
   */
  withCopy<T>(data: Uint8Array, use: (ptr: number) => T): T {
    const top = this.top;
    try {
      return use(this.put(data));
    } finally {
      this.top = top;
    }
  }

  /** Copies `data` into a fresh region and returns its offset. */
  put(data: Uint8Array): number {
    const ptr = this.alloc(data.length);
    this.bytes().set(data, ptr);
    return ptr;
  }
}

/** Bytes past the end of every region that kernels may read or clobber (see assembly/README). */
export const SLACK = 64;

let shared: Arena | undefined;

/** The process-wide arena (one per loaded module). */
export function arena(): Arena {
  shared ??= new Arena();
  return shared;
}
