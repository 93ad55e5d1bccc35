import nx from '@nx/eslint-plugin';

/**
 * Module boundaries (DESIGN.md "Layout"): apps compose, packages own contracts,
 * plugins contribute coins. An app never imports a plugin: it discovers it.
 */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/native/index.js', '**/native/index.d.ts', '**/target'] },
  {
    files: ['**/src/**/*.ts', '**/src/**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:mining', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:dialect', onlyDependOnLibsWithTags: ['type:core', 'type:mining'] },
            { sourceTag: 'type:plugin-api', onlyDependOnLibsWithTags: ['type:core', 'type:mining'] },
            { sourceTag: 'type:engine', onlyDependOnLibsWithTags: ['type:core', 'type:mining', 'type:plugin-api'] },
            { sourceTag: 'type:store', onlyDependOnLibsWithTags: ['type:core', 'type:mining', 'type:plugin-api', 'type:engine'] },
            { sourceTag: 'type:coin-plugin', onlyDependOnLibsWithTags: ['type:plugin-api', 'type:mining'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:core', 'type:mining', 'type:dialect', 'type:engine', 'type:store', 'type:plugin-api'],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:core', 'type:mining', 'type:dialect', 'type:plugin-api', 'type:coin-plugin', 'type:engine', 'type:store'],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
