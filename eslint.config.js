import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'loadtest/results/**', 'coverage/**', '.scratch/**', '.build/**', 'test-results/**'] },
  js.configs.recommended,
  // Type-aware: a promise nobody awaits (no-floating-promises) or an async
  // function where a callback's result is ignored (no-misused-promises) loses
  // errors and ordering silently; only the types can tell.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the nearest tsconfig.json (the service's,
        // loadtest/'s for k6, src/console/web/'s for the browser).
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  // Plain JavaScript (this file, bin/) has no types to check.
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        __ENV: 'readonly',
        __VU: 'readonly',
        __ITER: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      // The subset of the type-checked set we keep. Off: require-await (an
      // async function that implements a Promise-returning interface, or keeps
      // a throw a rejection, is right without an await) and unbound-method
      // (our interfaces declare closures in method syntax, which never use
      // `this`; the rule cannot tell a closure from a method).
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Tests read JSON bodies (`any`) and let the assertions check them; the
    // promise rules and the rest of the set still apply.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // The layers (docs/architecture.md): edges call services, services hold the
  // rules and their SQL, infrastructure knows no feature.
  {
    // Edges: routes, the bot (but its store of its own tables), CLI commands.
    files: ['src/**/*-routes.ts', 'src/bot/**/*.ts', 'src/cli/commands/**/*.ts'],
    ignores: ['src/bot/bot-store.ts', 'src/bot/bot.sql.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/*.sql.ts'], allowTypeImports: true, message: 'Edges call services; only types may come from SQL modules.' }] },
      ],
    },
  },
  {
    // Services hold the rules whatever the edge: no HTTP, no Telegram.
    files: ['src/**/*-service.ts', 'src/orders/order-workflow.ts', 'src/orders/order-access.ts', 'src/orders/order-actions.ts', 'src/scheduler/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'express', message: 'Services never see HTTP; the routes translate.' },
            { name: 'grammy', message: 'Services never see Telegram; the bot translates.' },
          ],
          patterns: [{ group: ['@grammyjs/*', 'express-*', '**/http/*', '**/bot/*'], message: 'Services never depend on an edge.' }],
        },
      ],
    },
  },
  {
    // Infrastructure: the database layer imports no feature.
    files: ['src/db/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['../*', '!../db/**'], message: 'src/db knows no feature.' }] }],
    },
  },
);
