// Live FreeSWITCH page: refresh the connection, core figures and tables every 5 seconds.
(function () {
  const root = document.querySelector('[data-live-url]');
  if (!root) return;
  const url = root.getAttribute('data-live-url');
  const el = (name) => root.querySelector(`[data-live="${name}"]`);
  const cell = (text, className) => {
    const td = document.createElement('td');
    if (className) {
      const span = document.createElement(className === 'code' ? 'code' : 'span');
      if (className !== 'code') span.className = className;
      span.textContent = text;
      td.appendChild(span);
    } else td.textContent = text;
    return td;
  };
  const fill = (name, rows, columns, empty) => {
    const body = el(name);
    if (!body) return;
    body.replaceChildren();
    if (!rows || rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(empty);
      td.colSpan = columns;
      td.className = 'empty';
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    for (const cells of rows) {
      const tr = document.createElement('tr');
      for (const [text, cls] of cells) tr.appendChild(cell(text, cls));
      body.appendChild(tr);
    }
  };
  const duration = (sec) => {
    const d = Math.floor(sec / 86400), h = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
    return d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`;
  };
  const stateText = { connected: 'Connected', connecting: 'Connecting…', not_connected: 'Not connected' };
  async function refresh() {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) return;
    const live = await res.json();
    const state = el('state');
    state.textContent = stateText[live.status.state];
    state.className = `tile-figure switch-${live.status.state}`;
    el('detail').textContent = live.status.detail;
    el('uptime').textContent = live.core ? duration(live.core.uptimeSeconds) : '—';
    el('channels').textContent = live.core ? String(live.core.channels) : '—';
    el('sessions').textContent = live.core ? `${live.core.sessions} sessions, peak ${live.core.peak}, max ${live.core.maxSessions}` : '—';
    const connected = live.status.state === 'connected';
    fill('profiles', live.profiles?.map((p) => [[p.name], [p.address, 'code'], [p.state, p.isRunning ? 'badge badge-on' : 'badge badge-off']]), 3, connected ? 'No SIP profiles are running.' : 'Not connected.');
    fill('gateways', live.gateways?.map((g) => [[g.name], [g.state], [g.status]]), 3, 'No gateways.');
    fill('registrations', live.registrations?.map((r) => [[`${r.user}@${r.realm}`], [r.contact, 'code'], [r.address], [r.transport], [r.expires.slice(0, 16).replace('T', ' ') + ' UTC']]), 5, 'No phone is registered.');
  }
  setInterval(() => refresh().catch(() => undefined), 5000);
})();
