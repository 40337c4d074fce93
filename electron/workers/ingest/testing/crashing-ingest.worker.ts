/**
 * Test-only ingest worker: the real one (imported for its message handler), plus an uncaught
 * exception thrown a few hundred milliseconds after it starts, in the middle of an ingest. The
 * fault-injection suite bundles it to prove a crashed worker leaves a consistent case and a clear
 * message. Never bundled into the app (scripts/build-node.mjs lists its entries).
 */
import '../ingest.worker';

const after = Number(process.env['DOSSIER_TEST_CRASH_AFTER_MS'] ?? '400');
setTimeout(() => {
  throw new Error('injected crash (fault-injection test)');
}, after);
