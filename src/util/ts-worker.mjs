// Worker entry used only when running from TypeScript sources (tests, tsx): Node does not pass the tsx
// loader on to worker threads, so register it here and re-export the real task module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const target = await import(workerData.tsWorkerModule);
export default target.default;
