// pm2 process file. Under systemd, callbox.service runs it with pm2-runtime (logs to the journal); in a
// container without systemd, install.sh starts it with the pm2 daemon (logs under the log directory).
const path = require('node:path');

const logDir = process.env.CALLBOX_LOG_DIR || '/var/log/callbox';

module.exports = {
  apps: [
    {
      name: 'callbox',
      script: path.join(__dirname, 'dist/appliance/main.js'),
      cwd: __dirname,
      // main.ts sends 'ready' once HTTP listens; pm2 waits for it before calling a start or reload done.
      wait_ready: true,
      listen_timeout: 20000,
      // Longer than the controller's own 8 s shutdown budget, so it is never killed mid-shutdown.
      kill_timeout: 12000,
      exp_backoff_restart_delay: 200,
      max_memory_restart: '1G',
      out_file: path.join(logDir, 'callbox.log'),
      error_file: path.join(logDir, 'callbox.log'),
      merge_logs: true,
      time: false,
      env: {
        NODE_ENV: 'production',
        CALLBOX_CONFIG: process.env.CALLBOX_CONFIG || '/etc/callbox/appliance.json',
      },
    },
  ],
};
