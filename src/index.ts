import { ConfigError, loadConfig } from './config';
import { start } from './compose';

/** Process entry: config → compose → serve; SIGTERM/SIGINT stop gracefully and exit 0. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const running = await start(config);
  const shutdown = (signal: string) => {
    running.logger.info({ signal }, 'signal received');
    const force = setTimeout(() => {
      running.logger.error('shutdown took longer than 25 s; exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    running
      .stop()
      .then(() => process.exit(0))
      .catch((err) => {
        running.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => running.logger.error({ err }, 'unhandled rejection'));
}

main().catch((err) => {
  process.stderr.write(`Rounds failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
