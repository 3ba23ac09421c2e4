import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Keeps the import's memory flat at any file size. Each batch leaves
 * megabytes of parameter text behind (a batch's rows as one JSON text), which
 * V8 keeps until its heap has grown to hundreds of megabytes before it
 * collects: measured, 870 MB peak for 100,000 orders with a live set under
 * 70 MB. A full collection once the heap has grown by a budget beyond what
 * the last one left alive holds the heap near live set + budget. The budget
 * is relative, not absolute: with a fixed ceiling below the live set every
 * batch paid a full collection (10 s of 24 s CPU at 100,000 orders). At a
 * 24 MB budget the collections still took about 4 s of 17 s CPU at 100,000
 * orders (13 s with none at all, at a 245 MiB peak against 174 MiB); with
 * the young generation held small (below) a 64 MB budget fits.
 */
const HEAP_HEADROOM = 64 * 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
// The young generation may otherwise grow to 128 MB on a large machine (Node 24's
// V8), nearly all of it empty after each batch: measured at 20,000 orders, the
// peak resident set 207 MiB with it, 169 MiB held at its starting size, at the
// same CPU. Read when the space would grow, so it holds from here on.
v8.setFlagsFromString('--semi-space-growth-factor=1');
const collect = vm.runInNewContext('gc') as () => void;
let ceiling = HEAP_HEADROOM;

export function releaseGarbage(): void {
  if (v8.getHeapStatistics().used_heap_size <= ceiling) return;
  collect();
  ceiling = v8.getHeapStatistics().used_heap_size + HEAP_HEADROOM;
}
