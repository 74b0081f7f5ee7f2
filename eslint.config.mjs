// The lint wall (run by `npm test` through `npm run lint`). It holds the
// arrows of DESIGN.md so they do not rest on habit:
//   workflows  -> @temporalio/workflow|common, zod, other workflow files, src/domain
//                 (zod only: the one home of the fan-out defaults); anything else as `import type` only
//   src/domain -> src/domain only (and no Node builtins, no packages)
//   activities -X-> workflows;  src/adapters -X-> activities, workflows;
//   src/cli -X-> activities;     src/worker -X-> src/stack;  src/api -X-> workflows, activities
//   src/dashboard (browser code) -> preact, lightweight-charts and src/dashboard only: it talks to the service over HTTP and /ws
// plus, everywhere: no floating promises, and `import type` for imports used only as types.
// A rule here is never silenced to get green: move the code to its room instead.
import tseslint from 'typescript-eslint';

/** A module path that crosses into `room` (any depth of ../). */
const into = (room) => `^(\\.\\.?/)+(.*/)?${room}(/|$)`;

/** no-restricted-imports entry banning value imports that match `regex`. */
const ban = (regex, message, allowTypeImports = false) => ({ regex, message, allowTypeImports });

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.cache/**',
      '.data/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'helm/**',
      'deploy/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox and is replayed:
    // no I/O, no clients, no wall clock, no unseeded randomness.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ban(
              '^(?!(@temporalio/workflow|@temporalio/common|zod)$)(?!\\./)(?!\\.\\./src/domain/)',
              'workflow code imports only @temporalio/workflow, @temporalio/common, zod, other workflow files, src/domain and the config schema (its defaults); anything else as `import type`',
              true,
            ),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'use workflow time (the sandbox Date, or workflowInfo()) instead of Date.now()' },
        { object: 'Math', property: 'random', message: 'use a seeded generator from src/domain/random.ts instead of Math.random()' },
      ],
    },
  },
  {
    // The domain is pure: no I/O, no clock, nothing of ours outside it.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts', 'src/domain/__fixtures__/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ban('^(?!\\.\\.?/)', 'src/domain imports nothing outside src/domain (no packages, no Node builtins)'),
            ban(
              into('(adapters|api|cli|config|stack|worker|reports|schedules|dashboard|activities|workflows)'),
              'src/domain imports nothing outside src/domain',
            ),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain code takes the time as an argument' },
        { object: 'Math', property: 'random', message: 'domain code takes a seeded generator (src/domain/random.ts)' },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [ban(into('workflows'), 'activities never import workflows')] }],
    },
  },
  {
    files: ['src/adapters/**/*.ts', 'src/reports/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ban(
              into('(activities|workflows|api|cli|worker)'),
              'adapters and reports never import activities, workflows, the API, the CLI or the worker',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [ban(into('activities'), 'the CLI starts workflows or calls adapters and domain; it never runs activity code')] },
      ],
    },
  },
  {
    files: ['src/api/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ban(into('activities'), 'the API calls domain and adapters, never activity code'),
            ban(
              into('workflows'),
              'the API hot path never waits on a workflow: start them through @temporalio/client by name, types only from workflows/',
              true,
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [ban(into('stack'), 'the production worker never carries the embedded dev stack: it reads its endpoints from config')],
        },
      ],
    },
  },
  {
    // The dashboard runs in the browser: no Node builtins, no server code; all it knows of the service is HTTP.
    files: ['src/dashboard/**/*.ts', 'src/dashboard/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ban(
              '^(?!(preact|preact/hooks|lightweight-charts)$)(?!\\./)',
              'the dashboard imports only preact, lightweight-charts and its own files (browser code: no Node builtins, no server packages)',
            ),
            ban(
              into('(adapters|api|cli|config|stack|worker|reports|schedules|domain|activities|workflows)'),
              'the dashboard is browser code: it talks to the service over HTTP and /ws, never imports server code',
            ),
          ],
        },
      ],
    },
  },
);
