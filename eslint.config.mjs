// Type-aware lint rules for every package. Formatting is Prettier's job (see .prettierrc.json),
// so nothing here is about layout; scripts/lint-package.mjs keeps the manifest and TSDoc checks.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      'docs/.doctest/**',
      'docs/api/**',
      'benchmarks/c/**',
      '**/vitest.config.ts',
    ],
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig.json nearest to it, so the rules see the same
        // types as `pnpm typecheck` does.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection; one that must run detached says so with `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      '@typescript-eslint/only-throw-error': 'error',
      // A caught `unknown` passed on as it is keeps its type; a new reason must be an Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Type-only imports vanish from the emitted JavaScript (verbatimModuleSyntax relies on it).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // One style for private members: the TypeScript `private` keyword with a leading underscore.
      'no-restricted-syntax': [
        'error',
        { selector: 'PrivateIdentifier', message: 'Use a `private _name` member, not `#name`.' },
      ],
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'memberLike', modifiers: ['private'], format: null, leadingUnderscore: 'require' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // Tests, the conformance harness, the benchmarks and the docs' examples assert on values they
    // have just checked; `!` there is not worth a branch. Library code says why each `!` holds.
    files: [
      '**/*.test.ts',
      '**/test-support/**',
      '**/test/**',
      'packages/conformance/**',
      'packages/packaging/**',
      'benchmarks/**',
      'docs/**',
    ],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
