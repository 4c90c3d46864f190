/**
 * `taan serve`: the server with every setting of SETTINGS as a flag (declared from SETTINGS, so a new setting
 * is a new flag). Flags are handed to loadConfig as they would be to `node dist/main.js`, so the env/flag
 * precedence and validation are the server's own.
 */
import { Option, type Command } from 'commander';
import type { Config } from '../../config/config.js';
import { DEFAULTS, SETTINGS, type Setting } from '../../config/defaults.js';
import { ConfigError, loadConfig } from '../../config/load-config.js';
import { CliError } from '../errors.js';

function defaultText(s: Setting): string {
  if (s.defaultText !== undefined) return s.defaultText;
  const v: unknown = DEFAULTS[s.key as keyof Config];
  if (Array.isArray(v)) return v.length ? v.join(':') : '(none)';
  return v === '' ? '(empty)' : String(v);
}

function help(s: Setting): string {
  const values = s.values ? ` One of: ${s.values.join(', ')}.` : '';
  return `${s.doc}${values} [env ${s.env}; default ${defaultText(s)}]`;
}

export function registerServe(program: Command): void {
  const cmd = program.command('serve').description('run taan-service (gRPC + /metrics) in the foreground; Ctrl-C or SIGTERM stops it cleanly');
  for (const s of SETTINGS) {
    cmd.addOption(new Option(s.type === 'bool' ? `${s.flag} [bool]` : `${s.flag} <${s.type === 'list' ? 'a:b' : s.type}>`, help(s)));
  }
  cmd.action(async (opts: Record<string, unknown>) => {
    const argv = SETTINGS.flatMap((s) => {
      const v = opts[s.key];
      return v === undefined ? [] : [`${s.flag}=${v === true ? 'true' : String(v)}`];
    });
    let config: Config;
    try {
      config = loadConfig({ argv, env: process.env });
    } catch (err) {
      if (err instanceof ConfigError) throw new CliError(`invalid configuration: ${err.problems.join('; ')}`, 2);
      throw err;
    }
    // Loaded here, not at the top: the client commands start without the server's modules (stores, pool, pino).
    const { serveUntilSignal } = await import('../../serve-until-signal.js');
    await serveUntilSignal(config);
  });
}
