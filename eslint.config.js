// Lint only for what the compiler cannot see: promises nobody awaits, promises passed where a callback is
// expected, and the module rules of DESIGN.md (modesl, better-sqlite3 and process.env each in one place).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/static/**', '*.cjs', 'scripts/*.mjs', 'eslint.config.js'] },
  {
    files: ['appliance/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-imports': ['error', { paths: [{ name: 'modesl', message: 'modesl belongs in appliance/freeswitch/ only.' }, { name: 'better-sqlite3', message: 'open the database through appliance/db/ only.' }] }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'settings come from appliance/config.ts.' }],
    },
  },
  { files: ['appliance/freeswitch/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['appliance/db/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['appliance/config.ts', '**/*.test.ts', 'appliance/test/**/*.ts', 'appliance/**/testing/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
);
