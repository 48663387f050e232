// Prompts pages, progressive enhancement: the pages work without this file, except recording, which needs it.
(() => {
  // While a prompt is being spoken, ask now and then how it went, and show the result when it settles.
  const rendering = [...document.querySelectorAll('[data-prompt-status="rendering"]')].map((el) => el.dataset.id);
  if (rendering.length) {
    const poll = () =>
      fetch(`/admin/prompts/status.json?ids=${rendering.join(',')}`, { headers: { accept: 'application/json' } })
        .then((r) => r.json())
        .then((body) => (body.prompts.some((p) => p.status !== 'rendering') ? location.reload() : setTimeout(poll, 1000)))
        .catch(() => setTimeout(poll, 5000));
    setTimeout(poll, 700);
  }

  const box = document.querySelector('[data-recorder]');
  if (!box || !navigator.mediaDevices || !window.AudioContext) return;
  box.hidden = false;
  const $ = (sel) => box.querySelector(sel);
  const ui = { start: $('[data-start]'), stop: $('[data-stop]'), save: $('[data-save]'), level: $('[data-level]'), timer: $('[data-timer]'), state: $('[data-state]'), playback: $('[data-playback]'), name: $('[data-name]'), category: $('[data-category]'), error: $('[data-error]') };
  const RATE = 16000; // what the WAV holds: plenty for speech, and the server makes 8 kHz of it
  const MAX_SECONDS = 150;
  let session = null; // { ctx, stream, chunks, started, tick }
  let wav = null;

  const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  const say = (text) => {
    ui.error.textContent = text || '';
    ui.error.hidden = !text;
  };

  ui.start.addEventListener('click', async () => {
    say('');
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
      const ctx = new AudioContext();
      const source = ctx.createMediaStreamSource(stream);
      // MediaRecorder would give WebM/Opus, which sox cannot read: take the raw samples and write a WAV ourselves.
      const node = ctx.createScriptProcessor(4096, 1, 1);
      const chunks = [];
      node.onaudioprocess = (e) => {
        const data = e.inputBuffer.getChannelData(0);
        chunks.push(new Float32Array(data));
        let peak = 0;
        for (const v of data) peak = Math.max(peak, Math.abs(v));
        ui.level.style.width = `${Math.min(100, Math.round(peak * 140))}%`;
      };
      source.connect(node);
      node.connect(ctx.destination);
      const started = performance.now();
      const tick = setInterval(() => {
        const s = (performance.now() - started) / 1000;
        ui.timer.textContent = clock(s);
        if (s >= MAX_SECONDS) stop();
      }, 200);
      session = { ctx, stream, chunks, tick };
      ui.start.disabled = true;
      ui.stop.disabled = false;
      ui.save.disabled = true;
      ui.playback.hidden = true;
      ui.state.textContent = 'Recording…';
      box.classList.add('is-recording');
    } catch (e) {
      say(`The microphone could not be used: ${e.message}. Allow this page to use it and try again.`);
    }
  });

  function stop() {
    if (!session) return;
    const { ctx, stream, chunks, tick } = session;
    session = null;
    clearInterval(tick);
    stream.getTracks().forEach((t) => t.stop());
    const rate = ctx.sampleRate;
    ctx.close();
    wav = encodeWav(downsample(chunks, rate, RATE), RATE);
    ui.playback.src = URL.createObjectURL(wav);
    ui.playback.hidden = false;
    ui.level.style.width = '0';
    ui.start.disabled = false;
    ui.stop.disabled = true;
    ui.save.disabled = false;
    ui.state.textContent = 'Recorded: listen, name it and save';
    box.classList.remove('is-recording');
  }
  ui.stop.addEventListener('click', stop);

  ui.save.addEventListener('click', async () => {
    if (!wav) return;
    say('');
    const form = new FormData();
    // The token first: the server checks it before it reads the file.
    form.append('_csrf', box.dataset.csrf);
    form.append('name', ui.name.value);
    form.append('category', ui.category.value);
    form.append('source', 'recording');
    form.append('file', wav, 'recording.wav');
    ui.save.disabled = true;
    try {
      const res = await fetch('/admin/prompts/upload', { method: 'POST', body: form, headers: { accept: 'application/json' } });
      const body = await res.json();
      if (res.ok) return void (location.href = body.url);
      say(body.fields ? Object.values(body.fields).join(' ') : body.message);
    } catch (e) {
      say(`The recording was not saved: ${e.message}`);
    }
    ui.save.disabled = false;
  });

  /** Mono samples at `to` Hz from chunks at `from` Hz: each output sample averages the input samples it covers. */
  function downsample(chunks, from, to) {
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const all = new Float32Array(length);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    if (from <= to) return all;
    const ratio = from / to;
    const out = new Float32Array(Math.floor(length / ratio));
    for (let i = 0; i < out.length; i++) {
      const a = Math.floor(i * ratio);
      const b = Math.min(length, Math.floor((i + 1) * ratio));
      let sum = 0;
      for (let j = a; j < b; j++) sum += all[j];
      out[i] = sum / Math.max(1, b - a);
    }
    return out;
  }

  /** 16-bit PCM mono WAV: the 44-byte RIFF header, then the samples. */
  function encodeWav(samples, rate) {
    const buf = new ArrayBuffer(44 + samples.length * 2);
    const v = new DataView(buf);
    const text = (at, s) => [...s].forEach((ch, i) => v.setUint8(at + i, ch.charCodeAt(0)));
    text(0, 'RIFF');
    v.setUint32(4, 36 + samples.length * 2, true);
    text(8, 'WAVEfmt ');
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true);
    v.setUint16(22, 1, true);
    v.setUint32(24, rate, true);
    v.setUint32(28, rate * 2, true);
    v.setUint16(32, 2, true);
    v.setUint16(34, 16, true);
    text(36, 'data');
    v.setUint32(40, samples.length * 2, true);
    samples.forEach((s, i) => v.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 0x7fff, true));
    return new Blob([buf], { type: 'audio/wav' });
  }
})();
