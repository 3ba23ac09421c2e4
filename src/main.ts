import { ConfigError, loadConfig, type Config } from './config.ts';
import { startService } from './app-runtime.ts';
import { createLogger } from './telemetry/logger.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
try {
  const service = await startService(config, logger);
  if (service.bootstrapToken) {
    // Printed once, on the first start of an empty database; only its hash is kept.
    process.stdout.write(
      `\nBootstrap admin API token (shown once, store it now):\n\n  ${service.bootstrapToken}\n\n` + `Use it as: Authorization: Bearer <token>\n\n`,
    );
  }
  logger.info({ port: service.http.port }, 'repair-bot listening');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeout_ms: config.shutdownTimeoutMs }, 'shutting down: finishing in-flight work');
    // The bound whatever a step waits for: a process that will not stop gets killed less gently by its supervisor.
    setTimeout(() => {
      logger.error({ timeout_ms: config.shutdownTimeoutMs }, 'shutdown timed out: exiting with work unfinished');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  logger.fatal({ err }, 'repair-bot failed to start');
  process.exit(1);
}
