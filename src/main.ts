/** Process entry of `npm start` (`node dist/main.js [serve] [--flags]`): config from env and flags, serve until a signal. */
import { ConfigError, loadConfig } from './config/load-config.js';
import { serveUntilSignal } from './serve-until-signal.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config = loadConfig({ argv: args[0] === 'serve' ? args.slice(1) : args, env: process.env });
  await serveUntilSignal(config);
  process.exit(0);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`taan-service failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
