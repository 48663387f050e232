// The real-switch tier: starts a private FreeSWITCH (FREESWITCH_BIN or PATH) and places real calls.
// Without a binary its one test says it skipped and why.
export default {
  files: ['appliance/**/*.switch.test.ts'],
  typescript: { rewritePaths: { 'appliance/': 'dist/appliance/' }, compile: false },
  timeout: '120s',
  workerThreads: false,
};
