// Loaded with `node --import` before the application so instrumentations
// can patch modules as they are first imported. The OpenTelemetry setup
// itself is in tracing.ts; the service flushes spans on shutdown, and a
// natural exit stops the SDK (bounded, so an unreachable collector never
// keeps the process alive).
const { startTracing, stopTracing } = await import('./tracing.ts');
if (await startTracing()) process.once('beforeExit', () => void stopTracing());
