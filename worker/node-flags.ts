/**
 * Node flags of a worker process: package.json's `worker` and `start` (worker and API in one process)
 * and the benchmarks' and chaos suite's workers run with them (worker/node-flags.test.ts keeps them
 * in step). A young generation of 32 MB per semi-space (Node 20's default is 16): a close allocates
 * short-lived objects by the thousand (activations, payloads, rows), and with the default the worker
 * collected them so often that a month-end closed about a tenth fewer ledgers a second on this machine
 * (`--quick --only=monthend10k`, 2026-11-29: 35.2 closes/s over 4 runs against 31.6 over 8); it costs
 * at most ~50 MB more memory per worker.
 */
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=32'];
