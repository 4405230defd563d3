/**
 * SHA-256 of long bodies, computed on a worker thread while the recorder relays them.
 *
 * Why: profiled relaying 1 GiB bodies, hashing took ~0.75 s of the recorder's ~2.4 s of CPU per
 * GB, on the one thread that also relays, while the second core was partly idle (issue 13,
 * docs/guide/speed.md). Copying a chunk costs a small part of hashing it.
 *
 * How: one ring of LAYOUT.slots slots in shared memory. The relay thread copies each piece of a body into
 * the next slot; the hashing thread hashes the slots in the same order, so each body's bytes reach
 * its hash in order whatever other bodies come in between. No message is sent per slot: a message
 * per batch (an ArrayBuffer transferred there and back) grew the recorder's malloc heap by 25–35 MB
 * per GiB relayed. The relay thread never waits: when the ring is full, a body keeps what did not
 * fit (at most the chunk at hand, as its caller pauses), `update` returns false, and the thread
 * sends one message when half the ring is free again.
 */
import { createHash, type Hash } from 'node:crypto';
import { Worker, type MessagePort } from 'node:worker_threads';

/** A long body's running SHA-256: `update` false asks the caller to wait for `onceDrained`. */
export interface BodyHash {
  update(chunk: Buffer): boolean;
  onceDrained(fn: () => void): void;
  /** Ends the body: its digest in hex. Call once. */
  digest(): Promise<string>;
}

/**
 * The ring's shape and its control array: at `head` the count of slots filled, at `tail` the count
 * hashed (both modulo 2^30, a multiple of the slot count), at `want` 1 while the relay thread waits
 * for room, from `meta` on, per slot, its body's id, its length and whether it ends that body.
 */
interface Layout {
  slots: number;
  slotBytes: number;
  head: number;
  tail: number;
  want: number;
  meta: number;
  countMask: number;
}

const LAYOUT: Layout = { slots: 32, slotBytes: 64 * 1024, head: 0, tail: 1, want: 2, meta: 3, countMask: 0x3fffffff };
/** How long the thread stays without long bodies before it is stopped (the next one starts another). */
const IDLE_MS = 1000;

/** Slots filled between wake-ups of a sleeping thread (a body's end and a full ring wake it at once). */
const WAKE_EVERY = 8;
const { head: HEAD, tail: TAIL, want: WANT, meta: META, countMask: COUNT_MASK } = LAYOUT;

/** From the thread: a body's digest, or room in the ring again (no id). */
type FromThread = { id: number; digest: string } | { id: null };

/**
 * The thread's whole program. It runs from its source text (`toString`): the CLI ships as one
 * bundled script and the tests run the TypeScript sources, so there is no file of it both could
 * load. Everything it uses comes in as parameters; it blocks in `Atomics.wait` while the ring is empty.
 */
function hashThreadMain(port: MessagePort, createHash: (algorithm: 'sha256') => Hash, ring: SharedArrayBuffer, control: SharedArrayBuffer, layout: Layout): void {
  const { head: HEAD, tail: TAIL, want: WANT, meta: META, countMask: COUNT_MASK } = layout;
  const ctl = new Int32Array(control);
  const hashes = new Map<number, Hash>();
  let tail = 0;
  for (;;) {
    const head = Atomics.load(ctl, HEAD);
    if (head === tail) {
      Atomics.wait(ctl, HEAD, head);
      continue;
    }
    const slot = tail & (layout.slots - 1);
    const id = ctl[META + slot * 3] ?? 0;
    const length = ctl[META + slot * 3 + 1] ?? 0;
    let hash = hashes.get(id);
    if (!hash) {
      hash = createHash('sha256');
      hashes.set(id, hash);
    }
    if (length > 0) hash.update(new Uint8Array(ring, slot * layout.slotBytes, length));
    const ends = ctl[META + slot * 3 + 2] === 1;
    tail = (tail + 1) & COUNT_MASK;
    Atomics.store(ctl, TAIL, tail);
    if (ends) {
      hashes.delete(id);
      port.postMessage({ id, digest: hash.digest('hex') });
    }
    if (Atomics.load(ctl, WANT) === 1 && ((Atomics.load(ctl, HEAD) - tail) & COUNT_MASK) <= layout.slots / 2) {
      Atomics.store(ctl, WANT, 0);
      port.postMessage({ id: null });
    }
  }
}

/** The process's ring, while it has one. */
let ring: HashRing | null = null;
/** Set once `new Worker` has thrown: this process may not start a thread (see `hashRing`). */
let threadsDenied = false;

/** The one hashing thread of the process and its ring, started by the first long body. */
class HashRing {
  private readonly worker: Worker;
  private readonly slotMemory = new SharedArrayBuffer(LAYOUT.slots * LAYOUT.slotBytes);
  private readonly bytes = new Uint8Array(this.slotMemory);
  private readonly ctl = new Int32Array(new SharedArrayBuffer((META + LAYOUT.slots * 3) * 4));
  private head = 0;
  /** Slots filled since the thread was last woken (see `submit`). */
  private unannounced = 0;
  /** Bodies waiting for their digest, by id. */
  private readonly bodies = new Map<number, OffThreadHash>();
  /** Bodies with bytes that did not fit, in the order they found the ring full. */
  private readonly waiting = new Set<OffThreadHash>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Stopped or failed: later events of its thread ('exit' after 'error') are no news. */
  private over = false;

  constructor() {
    // `import()`, not `require`: the thread inherits the process's flags, and under `--input-type=module`
    // (even in NODE_OPTIONS) its source is an ES module, where `require` does not exist.
    const source = `Promise.all([import('node:worker_threads'), import('node:crypto')]).then(([threads, crypto]) => (${hashThreadMain.toString()})(threads.parentPort, crypto.createHash, ...threads.workerData))`;
    // A small heap: the thread keeps only hash states; the bytes are in the shared ring.
    this.worker = new Worker(source, {
      eval: true,
      workerData: [this.slotMemory, this.ctl.buffer, LAYOUT],
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
    });
    this.worker.unref();
    this.worker.on('message', (message: FromThread) => (message.id === null ? this.roomAgain() : this.bodies.get(message.id)?.digested(message.digest)));
    this.worker.on('error', (err: Error) => this.gone(err));
    this.worker.on('exit', (code: number) => this.gone(new Error(`the hashing thread exited with code ${code}`)));
  }

  add(body: OffThreadHash): number {
    // While a body waits for its digest the thread must keep the process alive.
    if (this.bodies.size === 0) this.worker.ref();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    this.bodies.set(id, body);
    return id;
  }

  remove(id: number): void {
    this.bodies.delete(id);
    if (this.bodies.size > 0) return;
    this.worker.unref();
    // An idle thread holds ~11 MB (its own V8 and Node): it goes after IDLE_MS without long bodies.
    this.idleTimer = setTimeout(() => this.stop(), IDLE_MS).unref();
  }

  private stop(): void {
    this.end();
    void this.worker.terminate();
  }

  /** The next long body starts a new ring (and thread). */
  private end(): void {
    this.over = true;
    if (ring === this) ring = null;
  }

  /** Slots free now. */
  room(): number {
    return LAYOUT.slots - ((this.head - Atomics.load(this.ctl, TAIL)) & COUNT_MASK);
  }

  /** Fills the next slot with `piece` (at most a slot's bytes) for body `id`; the caller checked `room`. */
  submit(id: number, piece: Uint8Array, ends: boolean): void {
    const slot = this.head & (LAYOUT.slots - 1);
    this.bytes.set(piece, slot * LAYOUT.slotBytes);
    this.ctl[META + slot * 3] = id;
    this.ctl[META + slot * 3 + 1] = piece.length;
    this.ctl[META + slot * 3 + 2] = ends ? 1 : 0;
    this.head = (this.head + 1) & COUNT_MASK;
    Atomics.store(this.ctl, HEAD, this.head); // publishes the slot's bytes and fields too
    // A sleeping thread is woken every WAKE_EVERY slots (an awake one sees them anyway): a wake-up
    // per 64 KiB chunk cost both threads a futex round trip each time.
    if (ends || ++this.unannounced >= WAKE_EVERY) this.wake();
  }

  private wake(): void {
    this.unannounced = 0;
    Atomics.notify(this.ctl, HEAD);
  }

  /** `body` has bytes that did not fit: it is told when there is room (once half the ring is free). */
  wait(body: OffThreadHash): void {
    this.waiting.add(body);
    Atomics.store(this.ctl, WANT, 1);
    this.wake();
    // The thread may have freed the room before it could see WANT: look again.
    if (this.room() >= LAYOUT.slots / 2) this.roomAgain();
  }

  private roomAgain(): void {
    for (const body of this.waiting) {
      while (!body.flush()) {
        Atomics.store(this.ctl, WANT, 1);
        // Looked at after WANT is set: either there is room now, or the thread will say when there is.
        if (this.room() < LAYOUT.slots / 2) return;
      }
      // Out of the set before its caller hears: a caller that writes again at once may wait anew.
      this.waiting.delete(body);
      body.release();
    }
  }

  private gone(err: Error): void {
    if (this.over) return;
    this.end();
    const bodies = [...this.bodies.values()];
    this.bodies.clear();
    this.waiting.clear();
    for (const body of bodies) body.threadFailed(err);
  }
}

/** The process's ring, started if need be; null where no thread may be started. */
function hashRing(): HashRing | null {
  if (ring || threadsDenied) return ring;
  try {
    ring = new HashRing();
  } catch {
    // `new Worker` throws at once where this process may not start a thread (Node's permission
    // model without --allow-worker): its bodies are hashed here, as before there was a thread, for
    // good. A thread that starts and fails later reports through 'error' (`gone`) instead.
    threadsDenied = true;
  }
  return ring;
}

/** A long body's hash: on the hashing thread, or on this one where no thread may be started. */
export function longBodyHash(): BodyHash {
  const current = hashRing();
  return current ? new OffThreadHash(current) : new InThreadHash();
}

/** SHA-256 on the calling thread (`longBodyHash` where threads are denied). */
class InThreadHash implements BodyHash {
  private readonly hash = createHash('sha256');

  update(chunk: Buffer): boolean {
    this.hash.update(chunk);
    return true;
  }

  onceDrained(fn: () => void): void {
    fn();
  }

  digest(): Promise<string> {
    return Promise.resolve(this.hash.digest('hex'));
  }
}

/** A running SHA-256 whose bytes are hashed on the hashing thread; see the module comment. */
export class OffThreadHash implements BodyHash {
  private readonly id: number;
  /** What did not fit in the ring yet, in order; `null` marks the body's end. */
  private backlog: Array<Buffer | null> = [];
  private drained: Array<() => void> = [];
  private result: { resolve(digest: string): void; reject(err: Error): void } | null = null;
  private failure: Error | null = null;

  constructor(private readonly ring: HashRing) {
    this.id = ring.add(this);
  }

  /**
   * Hashes `chunk`; false when the caller should wait for `onceDrained`. What does not fit is kept
   * by reference, not copied: the relay hands the same chunk to the other socket's asynchronous
   * write, so a chunk is never reused after it is passed on.
   */
  update(chunk: Buffer): boolean {
    if (this.failure) return true; // the digest will report it
    return this.enqueue(chunk);
  }

  /**
   * Puts `item` (bytes, or null for the end) behind what already waits, and into the ring as far as
   * there is room; false when some of it waits. A body with a backlog is among the ring's waiters
   * until the backlog is gone (`wait`, `roomAgain`), so only the first item to wait registers it.
   */
  private enqueue(item: Buffer | null): boolean {
    const waitingAlready = this.backlog.length > 0;
    this.backlog.push(item);
    if (waitingAlready) return false;
    if (this.flush()) return true;
    this.ring.wait(this);
    return false;
  }

  /** Calls `fn` once what did not fit is in the ring (at once if all of it is). */
  onceDrained(fn: () => void): void {
    if (this.failure || this.backlog.length === 0) fn();
    else this.drained.push(fn);
  }

  /** Ends the body: its digest in hex, once the thread has hashed all of it. Call once. */
  digest(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.result = { resolve, reject };
      this.enqueue(null);
    });
  }

  /** Moves the backlog into the ring while there is room; true when it is all in (the ring then calls `release`). */
  flush(): boolean {
    for (let waiting = this.backlog[0]; waiting !== undefined && this.ring.room() > 0; waiting = this.backlog[0]) {
      if (waiting === null) {
        this.ring.submit(this.id, EMPTY, true);
        this.backlog.shift();
      } else if (waiting.length <= LAYOUT.slotBytes) {
        this.ring.submit(this.id, waiting, false);
        this.backlog.shift();
      } else {
        this.ring.submit(this.id, waiting.subarray(0, LAYOUT.slotBytes), false);
        this.backlog[0] = waiting.subarray(LAYOUT.slotBytes);
      }
    }
    return this.backlog.length === 0;
  }

  /** Everything waiting is in the ring: the callers waiting for that go on. */
  release(): void {
    const waiting = this.drained;
    this.drained = [];
    for (const fn of waiting) fn();
  }

  digested(digest: string): void {
    this.ring.remove(this.id);
    this.result?.resolve(digest);
  }

  threadFailed(err: Error): void {
    this.failure = new Error(`cannot hash the body: ${err.message}`);
    this.result?.reject(this.failure);
    this.backlog = [];
    this.release();
  }
}

const EMPTY = new Uint8Array(0);
