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
    // cli.ts; and no runtime import cycles anywhere. import-x's no-cycle skips `import type`
    // (erased at compile time, so it cannot make an initialisation-order cycle); the layering
    // keeps type-only cycles out too, since platform/ declares the Context shape and features
    // add to it by declaration merging (platform/context.ts).
    files: ['src/**/*.ts', 'ormconfig.ts', 'migrations/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
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
