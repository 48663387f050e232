// The browser phone's SIP stack: JsSIP is published as CommonJS for Node, so it is bundled for the browser here,
// at build time, into one file the console serves from its own origin.
import { build } from 'esbuild';
await build({
  entryPoints: ['node_modules/jssip/lib/JsSIP.js'],
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'JsSIP',
  platform: 'browser',
  target: 'chrome110',
  outfile: 'web/static/vendor/jssip.js',
  logLevel: 'warning',
});
