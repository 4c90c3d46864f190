import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, SETTINGS } from '../../src/config/defaults.js';
import { ConfigError, configTable, loadConfig } from '../../src/config/load-config.js';

function load(argv: string[] = [], env: Record<string, string | undefined> = {}) {
  return loadConfig({ argv, env });
}

function problemsOf(argv: string[], env: Record<string, string | undefined> = {}): string[] {
  try {
    load(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns the defaults when nothing is given', () => {
    const c = load();
    expect(c).toEqual(DEFAULTS);
    expect(c.grpcHost).toBe('0.0.0.0');
    expect(c.grpcPort).toBe(50051);
    expect(c.metricsPort).toBe(9464);
    expect(c.stateDir).toBe('./var');
    expect(c.dataRoots).toEqual([]);
    expect(c.backend).toBe('auto');
    expect(c.logLevel).toBe('info');
    expect(c.maxMessageBytes).toBe(64 * 1024 * 1024);
    expect(c.maxUploadTotalBytes).toBe(10 * 1024 ** 3);
    expect(c.predictMaxDelayMs).toBe(2);
    expect(c.instanceName).toBe(os.hostname());
  });

  it('defaults workers to at least 2', () => {
    expect(load().workers).toBe(Math.max(2, os.availableParallelism()));
    expect(load().workers).toBeGreaterThanOrEqual(2);
  });

  it('ignores non-TAAN env vars', () => {
    expect(load([], { PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'test' })).toEqual(DEFAULTS);
  });

  it('reads env vars', () => {
    const c = load([], {
      TAAN_GRPC_PORT: '6000',
      TAAN_BACKEND: 'wasm',
      TAAN_LOG_LEVEL: 'DEBUG',
      TAAN_STATE_DIR: '/srv/taan',
      TAAN_PREDICT_MAX_DELAY_MS: '0.5',
      TAAN_DATABASE_URL: 'postgres://u@db/taan',
    });
    expect(c).toMatchObject({
      grpcPort: 6000,
      backend: 'wasm',
      logLevel: 'debug',
      stateDir: '/srv/taan',
      predictMaxDelayMs: 0.5,
      databaseUrl: 'postgres://u@db/taan',
    });
  });

  it('treats an empty env var as unset', () => {
    expect(load([], { TAAN_GRPC_PORT: '', TAAN_INSTANCE_NAME: '' })).toEqual(DEFAULTS);
  });

  it('reads flags in both --x value and --x=value forms', () => {
    const argv = ['--grpc-port', '7000', '--metrics-port=0', '--workers', '3', '--tls-cert=a.pem', '--tls-key', 'k.pem'];
    const c = load(argv);
    expect(c).toMatchObject({ grpcPort: 7000, metricsPort: 0, workers: 3, tlsCert: 'a.pem', tlsKey: 'k.pem' });
  });

  it('lets a flag beat the env var of the same setting', () => {
    const env = { TAAN_GRPC_PORT: '6000', TAAN_METRICS_PORT: '6001' };
    const c = load(['--grpc-port=7000'], env);
    expect(c.grpcPort).toBe(7000);
    expect(c.metricsPort).toBe(6001);
  });

  it('parses dataRoots as a colon-separated list, dropping empty and repeated entries', () => {
    expect(load([], { TAAN_DATA_ROOTS: '/data/a:/data/b' }).dataRoots).toEqual(['/data/a', '/data/b']);
    expect(load(['--data-roots', '/x::/y:/x:']).dataRoots).toEqual(['/x', '/y']);
    expect(load(['--data-roots=']).dataRoots).toEqual([]);
  });

  it('returns a deeply frozen object', () => {
    const c = load(['--data-roots=/a']);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.dataRoots)).toBe(true);
    expect(() => {
      (c as { grpcPort: number }).grpcPort = 1;
    }).toThrow(TypeError);
  });

  it('reports every problem at once, each naming the env var and the flag', () => {
    let caught: unknown;
    try {
      load(['--metrics-port=70000', '--backend', 'gpu', '--state-dir='], {
        TAAN_GRPC_PORT: 'abc',
        TAAN_WORKERS: '0',
        TAAN_LOG_LEVEL: 'loud',
        TAAN_PREDICT_MAX_DELAY_MS: '1e9',
        TAAN_MAX_MESSAGE_BYTES: '1.5',
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const err = caught as ConfigError;
    expect(err.name).toBe('ConfigError');
    const expected: [string, string][] = [
      ['TAAN_GRPC_PORT', '--grpc-port'],
      ['TAAN_METRICS_PORT', '--metrics-port'],
      ['TAAN_WORKERS', '--workers'],
      ['TAAN_BACKEND', '--backend'],
      ['TAAN_LOG_LEVEL', '--log-level'],
      ['TAAN_STATE_DIR', '--state-dir'],
      ['TAAN_PREDICT_MAX_DELAY_MS', '--predict-max-delay-ms'],
      ['TAAN_MAX_MESSAGE_BYTES', '--max-message-bytes'],
    ];
    expect(err.problems).toHaveLength(expected.length);
    for (const [env, flag] of expected) {
      const p = err.problems.find((x) => x.startsWith(`${env} / ${flag}:`));
      expect(p, env).toBeDefined();
      expect(err.message).toContain(p);
    }
    expect(err.problems.find((p) => p.startsWith('TAAN_METRICS_PORT'))).toMatch(/0\.\.65535.*"70000".*--metrics-port/);
    expect(err.problems.find((p) => p.startsWith('TAAN_BACKEND'))).toContain('auto, native, tensorflow, wasm, cpu');
    expect(err.message).toMatch(/^invalid configuration \(8 problems\)/);
  });

  it('rejects unknown flags, with a suggestion for near misses', () => {
    const problems = problemsOf(['--grpc-prot', '1234', '--frobnicate']);
    expect(problems).toEqual([
      'unknown flag --grpc-prot, did you mean --grpc-port?',
      'unknown flag --frobnicate',
    ]);
  });

  it('rejects unknown TAAN_ env vars', () => {
    const problems = problemsOf([], { TAAN_GRPC_PROT: '1', TAAN_NOPE_NOPE_NOPE: '' });
    expect(problems).toEqual([
      'unknown environment variable TAAN_GRPC_PROT, did you mean TAAN_GRPC_PORT?',
      'unknown environment variable TAAN_NOPE_NOPE_NOPE',
    ]);
  });

  it('rejects stray arguments and flags missing their value', () => {
    const problems = problemsOf(['serve', '--grpc-port']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/unexpected argument "serve"/);
    expect(problems[1]).toMatch(/^TAAN_GRPC_PORT \/ --grpc-port: flag --grpc-port needs a value/);
  });

  it('checks settings that depend on each other', () => {
    const problems = problemsOf(
      ['--tls-cert=c.pem', '--tls-ca=ca.pem', '--database-url=mysql://x', '--metrics-port=50051'],
      { TAAN_MAX_UPLOAD_BYTES: '20', TAAN_MAX_UPLOAD_TOTAL_BYTES: '10' },
    );
    expect(problems).toHaveLength(4);
    const all = problems.join('\n');
    expect(all).toContain('TAAN_TLS_CERT / --tls-cert and TAAN_TLS_KEY / --tls-key must be set together');
    expect(all).toContain('TAAN_DATABASE_URL / --database-url');
    expect(all).toContain('TAAN_MAX_UPLOAD_BYTES / --max-upload-bytes (20) exceeds');
    expect(all).toContain('TAAN_GRPC_PORT / --grpc-port and TAAN_METRICS_PORT / --metrics-port');
    // Port 0 on both means "any free port", which cannot collide.
    expect(load(['--grpc-port=0', '--metrics-port=0']).grpcPort).toBe(0);
  });
});

describe('SETTINGS', () => {
  it('describes every DEFAULTS key exactly once, with env and flag derived from the key', () => {
    expect(SETTINGS.map((s) => s.key).sort()).toEqual(Object.keys(DEFAULTS).sort());
    for (const s of SETTINGS) {
      expect(s.env).toBe(`TAAN_${s.key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`);
      expect(s.flag).toBe(`--${s.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      expect(s.doc.length).toBeGreaterThan(0);
    }
  });
});

describe('configTable', () => {
  it('lists every env var and flag in a Markdown table', () => {
    const table = configTable();
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe('| env var | flag | default | meaning |');
    expect(lines).toHaveLength(SETTINGS.length + 2);
    for (const s of SETTINGS) expect(table).toContain(`| \`${s.env}\` | \`${s.flag}\` |`);
    expect(table).toContain('| `TAAN_GRPC_PORT` | `--grpc-port` | `50051` |');
    expect(table).toContain('| `TAAN_WORKERS` | `--workers` | max(2, CPUs) |');
  });
});
