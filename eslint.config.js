// The layering of docs/architecture.md, checked: commands → services → library → core, no import cycles.
import {createTypeScriptImportResolver} from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

const LIBRARY = [
  'adhoc',
  'completion',
  'engine',
  'fanout',
  'health',
  'inventory',
  'lab',
  'output',
  'patterns',
  'roles',
  'state',
  'template',
  'transport',
]

/** Transport modules that are pure formats (no connection): roles may use them. */
const PURE_TRANSPORT = ['quote.ts', 'host-cert.ts', 'errors.ts']

const zones = [
  ...LIBRARY.map((folder) => ({
    target: `./src/${folder}`,
    from: ['./src/services', './src/cli', './commands'],
    message: 'the library is below the services and the command layer (docs/architecture.md, Layering)',
  })),
  {
    target: './src/core',
    from: './src',
    except: ['./core'],
    message: 'src/core is the bottom layer: it imports nothing else of goldentooth',
  },
  {
    target: './src/services',
    from: ['./src/cli', './commands'],
    message: 'services take options and return reports; flags and rendering stay in the command layer',
  },
  {
    target: './src/roles',
    from: './src/fanout',
    message: 'roles are data and pure plans: the engine connects and fans out, not the role',
  },
  {
    target: './src/roles',
    from: './src/transport',
    except: PURE_TRANSPORT.map((file) => `./${file}`),
    message: `roles may use transport's pure formats (${PURE_TRANSPORT.join(', ')}), never a connection`,
  },
]

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**']},
  {
    files: ['**/*.ts', '**/*.js'],
    languageOptions: {parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module'},
    linterOptions: {reportUnusedDisableDirectives: 'error'},
    plugins: {'import-x': importX},
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({project: './tsconfig.json'})],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', {zones}],
      'import-x/no-self-import': 'error',
    },
  },
)
