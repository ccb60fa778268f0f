/**
 * SQLite checkpoints on their own connection in a worker thread. A checkpoint
 * copies the WAL's pages into the database and syncs both: 50-75 ms at a
 * time under heavy writes, which on the writer's connection blocked the event
 * loop (and with it all of k3s). PASSIVE checkpoints run beside the writer;
 * this connection's synchronous=FULL makes SQLite sync the WAL before copying
 * and the database before the WAL may be reused.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** the worker, as plain JavaScript: the bundled k3s has no separate file to start */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma("synchronous = FULL");
db.pragma("wal_autocheckpoint = 0");
parentPort.on("message", (msg) => {
  if (msg === "close") {
    db.close();
    parentPort.close();
    return;
  }
  let error;
  try {
    // frames keep arriving while a pass copies: a few passes leave little for the writer's own
    for (let pass = 0; pass < 4; pass++) {
      const [r] = db.pragma("wal_checkpoint(PASSIVE)");
      if (r.log - r.checkpointed <= 256) break;
    }
  } catch (err) {
    error = String(err);
  }
  parentPort.postMessage({ error });
});
`;

/** a thread idle this long is ended: it holds ~10 MiB that a quiet (edge) server should not keep */
const IDLE_MS = 60_000;

/** runs one checkpoint at a time in a worker thread, started when first needed */
export class Checkpointer {
  private worker?: Worker;
  private running?: Promise<void>;
  private done?: (err?: string) => void;
  private idle?: NodeJS.Timeout;

  constructor(
    private path: string,
    /** called after each checkpoint */
    private onDone: () => void,
    private log: (msg: string) => void = () => undefined,
  ) {}

  private start(): Worker {
    const module = createRequire(import.meta.url).resolve("better-sqlite3");
    const worker = new Worker(WORKER, { eval: true, workerData: { module, path: this.path } });
    worker.on("message", (m: { error?: string }) => this.done?.(m.error));
    worker.on("error", (err) => this.done?.(String(err)));
    worker.unref();
    return worker;
  }

  /** starts a checkpoint unless one is running; false when one was */
  request(): boolean {
    if (this.running) return false;
    clearTimeout(this.idle);
    this.worker ??= this.start();
    this.running = new Promise<void>((resolve) => {
      this.done = (err) => {
        if (err) this.log(`sqlite: checkpoint: ${err}`);
        this.running = undefined;
        this.done = undefined;
        this.idle = setTimeout(() => void this.stopWorker(), IDLE_MS).unref();
        this.onDone();
        resolve();
      };
    });
    this.worker.postMessage("checkpoint");
    return true;
  }

  /** waits for a running checkpoint, then closes the connection and ends the thread */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    await this.running;
    await this.stopWorker();
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.running) return;
    this.worker = undefined;
    // unreferenced, the thread would not keep the process waiting for it to finish
    worker.ref();
    const exited = new Promise((r) => worker.once("exit", r));
    worker.postMessage("close");
    await exited;
  }
}
