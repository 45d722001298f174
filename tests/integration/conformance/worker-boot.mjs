// Starts the engine's utility-process entry point (TypeScript) inside a worker_threads worker.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
