import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'test/generated/**',
      'packages/client/src/gql/**',
      'packages/*/dist/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `interface Loaders extends ReturnType<…> {}`: how a feature adds to platform's Context shapes.
      '@typescript-eslint/no-empty-object-type': [
        'error',
        { allowInterfaces: 'with-single-extends' },
      ],
    },
  },
  {
    // Layers (README "Layout"): platform/ is infrastructure and imports no feature, nor the
    // composition root; features (every other folder of src/) never import src/app/, main.ts or
    // cli.ts; src/dev/ (the development harness, above the features) is imported by the
    // composition root alone; and no runtime import cycles anywhere. import-x's no-cycle skips `import type`
    // (erased at compile time, so it cannot make an initialisation-order cycle); the layering
    // keeps type-only cycles out too, since platform/ declares the Context shape and features
    // add to it by declaration merging (platform/context.ts).
    files: ['src/**/*.ts', 'ormconfig.ts', 'migrations/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // A dynamic import() names the built file (`../dev/playground.routes.js`); read its source.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.js', '.json'],
          extensionAlias: { '.js': ['.ts', '.js'] },
        }),
      ],
      // no-cycle reads the imported modules too; they are TypeScript.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: './src/platform',
              from: './src',
              except: ['./platform'],
              message:
                'platform/ is infrastructure: it imports no feature and not the composition root (src/app).',
            },
            {
              target: './src/platform',
              from: './ormconfig.ts',
              message:
                "ormconfig.ts lists the features' entities; src/app/database.ts passes its options to platform.",
            },
            {
              target: './src/!(app|platform)/**',
              from: ['./src/app', './src/main.ts', './src/cli.ts'],
              message:
                'Features never import the composition root; what they need belongs in platform/ or a feature.',
            },
            // The development harness (embedded PostgreSQL and store, playground, demo data) is
            // loaded by the composition root only where its defaults are in use, with a dynamic
            // import(), so a production process never loads it (test/integration/dev-harness.test.ts).
            {
              target: ['./src/!(app|dev)/**', './src/main.ts', './ormconfig.ts', './migrations/**'],
              from: './src/dev',
              message:
                'src/dev/ is the development harness: only the composition root (src/app, src/cli.ts) loads it, with a dynamic import() where its default is in use.',
            },
            // Features depend on each other one way (README "Layout"). Consumers of dispute
            // events (notifications, webhooks) sit above disputes and register their steps with
            // its fan-out (disputes/dispute-fan-out.ts); import/ (fixtures) sits above every
            // feature. Type imports count: a tie is a tie.
            {
              target: './src/!(app|dev|import|notifications|webhooks)/**',
              from: ['./src/notifications', './src/webhooks', './src/import'],
              message:
                'notifications/, webhooks/ and import/ sit above the other features: they consume dispute events through the fan-out (disputes/dispute-fan-out.ts); register there instead of importing them.',
            },
            {
              target: './src/!(app|dev|import|exports)/**',
              from: './src/exports',
              message:
                'exports/ sits above calls/ and disputes/ (it writes their lists as files); nothing below imports it.',
            },
            {
              target: './src/notifications',
              from: './src/webhooks',
              message: 'notifications/ and webhooks/ are independent consumers of dispute events.',
            },
            {
              target: './src/webhooks',
              from: './src/notifications',
              message: 'notifications/ and webhooks/ are independent consumers of dispute events.',
            },
            {
              target: './src/accounts',
              from: ['./src/auth', './src/calls', './src/disputes', './src/evidence'],
              message:
                'accounts/ (users, buyer accounts, roles and permissions) sits below every feature; the viewer’s badges are field resolvers of the feature that counts it (disputes/viewer-disputes.resolver.ts).',
            },
            // A feature offers others a few files (its entities, GraphQL types, services, rules,
            // events); the rest are its own. import/ (fixtures), dev/ (the harness) and the composition
            // root may reach further.
            ...Object.entries({
              accounts: [
                'account.entity.ts',
                'user.entity.ts',
                'account.types.ts',
                'permissions.ts',
                'system-user.ts',
              ],
              auth: ['viewer.ts', 'viewer.types.ts', 'visibility.ts'],
              evidence: ['evidence.entity.ts', 'evidence.types.ts', 'evidence.service.ts'],
              calls: [
                'call.entity.ts',
                'campaign.entity.ts',
                'call.types.ts',
                'call.service.ts',
                'call-duplicates.ts',
              ],
              disputes: [
                'dispute.entity.ts',
                'dispute-comment.entity.ts',
                'dispute.types.ts',
                'dispute-queries.ts',
                'dispute-rules.ts',
                'dispute-events.ts',
                'dispute-fan-out.ts',
              ],
            }).map(([feature, offered]) => ({
              target: `./src/!(app|dev|import|${feature})/**`,
              from: `./src/${feature}`,
              except: offered.map((f) => `./${f}`),
              message: `${feature}/ offers other features only ${offered.join(', ')}; the rest is its own (move what is shared into one of them, or lower).`,
            })),
            {
              target: './src/calls',
              from: './src/disputes',
              message:
                'calls/ sits below disputes/: what disputes add to a call is a field resolver of theirs (disputes/call-disputes.resolver.ts) or a Call Log extension they register (extendCallLog).',
            },
            {
              target: './src/evidence',
              from: ['./src/calls', './src/disputes'],
              message:
                'evidence/ (files in the object store) sits below the calls and disputes that hold files; take what you need of them as a parameter.',
            },
            {
              target: [
                './src/accounts',
                './src/auth',
                './src/evidence',
                './src/calls',
                './src/disputes',
              ],
              from: './src/settings',
              message:
                'settings/ (what each user keeps of its tables) sits above the features whose tables it describes and below the live updates that announce it (notifications/, through registerTableSettingsAnnouncer).',
            },
            {
              target: './src/auth',
              from: ['./src/calls', './src/disputes', './src/evidence'],
              message:
                'auth/ (who may see what) sits below the features it guards; pass it what it needs (an audience, a buyer ID).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
