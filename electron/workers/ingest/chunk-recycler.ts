/**
 * Hands the read chunks of a plain evidence file back to its reader once nothing references their bytes any more
 * (PhysicalFile.recycle), so that the file is read through a handful of buffers instead of one new 1 MiB allocation
 * per chunk. V8 frees a dead chunk only at its next full collection, and at 5M access lines some tens of them were
 * waiting at any time; the allocator kept the memory afterwards (docs/PERFORMANCE.md, session 11).
 *
 * Who refers to a chunk's bytes, in the ingest's parse-worker path:
 * - its own line batch (`base`), until the engine has consumed it (the parse worker gets a copy of the lines);
 * - the line splitter, while a line that starts in the chunk goes on in later chunks, and through it the batches
 *   made meanwhile (`LineBatch.held` lists what the splitter held when it made a batch);
 * - the event writer, until the raw block the chunk's lines went into is sealed (copied into a block buffer).
 * So once batch j is consumed, a chunk whose batch came no later than j is free when batch j's `held` does not
 * name it (no later batch can refer to it) and the writer does not hold it. A chunk that fails the test waits for
 * a later batch; one that never made a batch of its own (it lies inside one long line) is never handed back.
 */
import type { LineBatch } from './source/lines';

export class ChunkRecycler {
  readonly #give: (chunk: Buffer) => boolean;
  readonly #writerHolds: (memory: ArrayBufferLike) => boolean;
  #waiting: Buffer[] = [];
  #given = 0;

  /**
   * `give`: the reader's recycle (MemberContext.recycle); `writerHolds`: whether the event writer still refers to
   * bytes in that memory (EventWriter.holdsBytesOf).
   */
  constructor(give: (chunk: Buffer) => boolean, writerHolds: (memory: ArrayBufferLike) => boolean) {
    this.#give = give;
    this.#writerHolds = writerHolds;
  }

  /** Chunks handed back (and taken) so far. */
  get given(): number {
    return this.#given;
  }

  /** Chunks whose batch was consumed but whose bytes are still referred to. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Call when every line of `batch` has gone to the writer; batches must be consumed in the order they were made. */
  consumed(batch: LineBatch): void {
    if (batch.base.length > 0) {
      this.#waiting.push(batch.base);
    }
    const held = batch.held;
    const still: Buffer[] = [];
    for (const chunk of this.#waiting) {
      const memory = chunk.buffer;
      if (held.includes(memory) || this.#writerHolds(memory)) {
        still.push(chunk);
      } else if (this.#give(chunk)) {
        this.#given += 1;
      }
    }
    this.#waiting = still;
  }
}
