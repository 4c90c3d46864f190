/** Process entry of `npm start` / `taan serve`: config from env and flags, start, stop cleanly on SIGTERM/SIGINT. */
import { startApp } from './app.js';
import { ConfigError } from './config/load-config.js';
import { loadConfig } from './config/load-config.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config = loadConfig({ argv: args[0] === 'serve' ? args.slice(1) : args, env: process.env });
  const app = await startApp(config);
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) {
      app.logger.warn({ sig }, 'second signal: exiting now');
      process.exit(1);
    }
    // A bounded exit even if something hangs: the grace period plus a margin.
    setTimeout(() => process.exit(1), (config.shutdownGraceSeconds + 10) * 1000).unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        app.logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`taan-service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
