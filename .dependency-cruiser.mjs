/**
 * The layering of src/ (README "What is here", shared/spec/architecture.md §3.3), checked by `npm run check:deps`:
 * no import cycles, no import up the layers, and the heavy libraries confined to their folders. Type-only imports
 * count too: a type from a higher layer is a dependency on it all the same.
 *
 * A folder may import only folders of a lower level, never one of its own level or above (its own files aside).
 */
const LEVELS = [
  ['errors'],
  ['domain', 'util', 'config'],
  ['observability', 'eval', 'functional', 'data'],
  ['model'],
  ['training', 'store'],
  ['workers'],
  ['jobs', 'serving'],
  ['grpc', 'http'],
  ['app.ts'],
  ['serve-until-signal.ts'],
  ['cli', 'main.ts'],
];

/** A folder name, or a file directly in src/. */
const pattern = (unit) => (unit.endsWith('.ts') ? `^src/${unit.replace('.', '\\.')}$` : `^src/${unit}/`);

const layerRules = LEVELS.flatMap((units, level) =>
  units.map((unit) => {
    const notBelow = LEVELS.slice(level).flat().filter((other) => other !== unit);
    return {
      name: `layer:${unit}`,
      comment: `${unit} (level ${level}) may import only lower levels: ${LEVELS.slice(0, level).flat().join(', ') || 'nothing of ours'}`,
      severity: 'error',
      from: { path: pattern(unit) },
      to: { path: notBelow.map(pattern) },
    };
  }),
);

/** Each heavy dependency, and the only files that may import it. */
const CONFINED = [
  ['@tensorflow', ['^src/model/', '^src/training/', '^src/workers/worker-main\\.ts$']],
  ['@grpc', ['^src/grpc/', '^src/cli/']],
  ['better-sqlite3', ['^src/store/sqlite-job-store\\.ts$']],
  ['pg', ['^src/store/pg-']],
  ['pino', ['^src/observability/logger\\.ts$']],
  ['prom-client', ['^src/observability/metrics']],
];

const confinementRules = CONFINED.map(([pkg, allowed]) => ({
  name: `only-in-its-folder:${pkg}`,
  severity: 'error',
  from: { pathNot: allowed },
  to: { path: `^node_modules/${pkg}/` },
}));

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles make load order matter and hide which way a dependency runs.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    ...confinementRules,
    {
      name: 'no-tfjs-on-the-main-thread',
      comment:
        'The server and the CLI never load tfjs on the main thread (worker threads are started from a file URL, which ' +
        'is not an import): model metadata is read through model/model-metadata.ts.',
      severity: 'error',
      from: { path: ['^src/main\\.ts$', '^src/cli/main\\.ts$'] },
      to: { path: '^node_modules/@tensorflow/', reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
