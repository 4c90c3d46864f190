/**
 * Runs the app until SIGTERM or SIGINT, then stops it cleanly; a second signal, or a stop that outlasts the grace
 * period plus a margin, exits at once; SIGHUP re-reads the tokens file. Shared by `node dist/main.js` and `taan serve`.
 */
import { startApp } from './app.js';
import type { Config } from './config/config.js';

export async function serveUntilSignal(config: Config): Promise<void> {
  const app = await startApp(config);
  await new Promise<void>((resolve, reject) => {
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals): void => {
      if (++signals > 1) {
        app.logger.warn({ sig }, 'second signal: exiting now');
        process.exit(1);
      }
      setTimeout(() => process.exit(1), (config.shutdownGraceSeconds + 10) * 1000).unref();
      app.stop().then(resolve, (err: unknown) => {
        app.logger.error({ err }, 'error while stopping');
        reject(err);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('SIGHUP', () => app.reloadAuth());
  });
}
