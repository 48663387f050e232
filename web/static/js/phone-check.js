// The device check (/agent/phone-check): microphone level, test sound on the chosen speaker, a recorded echo,
// and the browser phone's connection through the console's own origin. Uses CallboxPhone (phone.js).
(function () {
  'use strict';
  var root = document.querySelector('[data-phone-check]');
  if (!root || !window.CallboxPhone) return;
  var Phone = window.CallboxPhone;
  var $ = function (sel) { return document.querySelector(sel); };
  var micSelect = $('[data-device="microphone"]');
  var speakerSelect = $('[data-device="speaker"]');
  var meter = $('#level');
  var player = $('[data-phone-check-audio]');
  var micStream = null;
  var audioCtx = null;
  var peak = 0;

  function result(name, ok, text) {
    var badge = $('[data-result="' + name + '"]');
    badge.textContent = ok === null ? 'checking…' : ok ? 'ok' : 'failed';
    badge.className = 'badge' + (ok === null ? '' : ok ? ' badge-on' : ' badge-off');
    if (text !== undefined) $('[data-message="' + name + '"]').textContent = text;
  }

  function context() {
    audioCtx = audioCtx || new AudioContext();
    if (audioCtx.state === 'suspended') audioCtx.resume();
    return audioCtx;
  }

  function fill(select, list, chosen) {
    var keep = select.value || chosen;
    while (select.options.length > 1) select.remove(1);
    list.forEach(function (d) {
      if (!d.id || d.id === 'default') return;
      var o = document.createElement('option');
      o.value = d.id;
      o.textContent = d.label;
      select.appendChild(o);
    });
    select.value = Array.prototype.some.call(select.options, function (o) { return o.value === keep; }) ? keep : '';
  }

  function listDevices() {
    return Phone.devices().then(function (d) {
      fill(micSelect, d.microphones, d.microphone);
      fill(speakerSelect, d.speakers, d.speaker);
      root.setAttribute('data-devices', d.microphones.length + ' microphones, ' + d.speakers.length + ' speakers');
      if (!d.speakers.length) speakerSelect.disabled = true;
    });
  }

  function startMic() {
    if (micStream) micStream.getTracks().forEach(function (t) { t.stop(); });
    result('microphone', null, 'Speak into the microphone.');
    peak = 0;
    return Phone.microphone()
      .then(function (stream) {
        micStream = stream;
        // Labels are only readable once the browser has been allowed the microphone.
        listDevices();
        var ctx = context();
        var analyser = ctx.createAnalyser();
        analyser.fftSize = 1024;
        ctx.createMediaStreamSource(stream).connect(analyser);
        var data = new Float32Array(analyser.fftSize);
        var timer = setInterval(function () {
          if (micStream !== stream) return clearInterval(timer);
          analyser.getFloatTimeDomainData(data);
          var sum = 0;
          for (var i = 0; i < data.length; i++) sum += data[i] * data[i];
          var level = Math.min(1, Math.sqrt(sum / data.length) * 4);
          meter.value = level;
          meter.setAttribute('data-level', level.toFixed(3));
          if (level > peak) peak = level;
          if (peak > 0.02) result('microphone', true, 'The microphone hears you (' + (stream.getAudioTracks()[0].label || 'microphone') + ').');
        }, 50);
        setTimeout(function () {
          if (micStream === stream && peak <= 0.02) result('microphone', false, 'No sound in 5 seconds: is the microphone muted or the wrong one?');
        }, 5000);
      })
      .catch(function (e) {
        result('microphone', false, 'The microphone could not be opened: ' + (e.name === 'NotAllowedError' ? 'the browser was not allowed to use it.' : e.message));
      });
  }

  function playTone() {
    result('speaker', null, 'Playing a 1-second tone…');
    var ctx = context();
    var osc = ctx.createOscillator();
    var gain = ctx.createGain();
    var dest = ctx.createMediaStreamDestination();
    osc.frequency.value = 440;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(dest);
    player.srcObject = dest.stream;
    var sink = speakerSelect.value && typeof player.setSinkId === 'function' ? player.setSinkId(speakerSelect.value) : Promise.resolve();
    return sink
      .then(function () { return player.play(); })
      .then(function () {
        osc.start();
        return new Promise(function (r) { setTimeout(r, 1000); });
      })
      .then(function () {
        osc.stop();
        player.pause();
        result('speaker', true, 'Played on ' + (speakerSelect.selectedOptions[0] ? speakerSelect.selectedOptions[0].textContent : 'the default speaker') + '. Did you hear it?');
      })
      .catch(function (e) {
        result('speaker', false, 'The test sound could not play: ' + e.message);
      });
  }

  function echo() {
    if (typeof MediaRecorder === 'undefined') return result('echo', false, 'This browser cannot record.');
    result('echo', null, 'Recording 3 seconds: say something…');
    return Phone.microphone()
      .then(function (stream) {
        return new Promise(function (resolve, reject) {
          var rec = new MediaRecorder(stream);
          var parts = [];
          rec.ondataavailable = function (e) { if (e.data.size) parts.push(e.data); };
          rec.onerror = function (e) { reject(e.error || new Error('recording failed')); };
          rec.onstop = function () {
            stream.getTracks().forEach(function (t) { t.stop(); });
            resolve(new Blob(parts, { type: rec.mimeType }));
          };
          rec.start();
          setTimeout(function () { rec.stop(); }, 3000);
        });
      })
      .then(function (blob) {
        if (!blob.size) throw new Error('nothing was recorded');
        result('echo', null, 'Playing it back…');
        player.srcObject = null;
        player.src = URL.createObjectURL(blob);
        var sink = speakerSelect.value && typeof player.setSinkId === 'function' ? player.setSinkId(speakerSelect.value) : Promise.resolve();
        return sink.then(function () {
          return new Promise(function (resolve, reject) {
            player.onended = resolve;
            player.onerror = function () { reject(new Error('the recording could not play')); };
            player.play().catch(reject);
            // Some codecs report no duration for a recorded blob: stop waiting after the 3 s it holds.
            setTimeout(resolve, 3500);
          });
        }).then(function () {
          root.setAttribute('data-echo-bytes', String(blob.size));
          result('echo', true, 'Recorded ' + Math.round(blob.size / 1024) + ' KB and played it back. Did you hear yourself?');
        });
      })
      .catch(function (e) {
        result('echo', false, 'The echo test failed: ' + e.message);
      });
  }

  function connection() {
    result('connection', null, 'Connecting…');
    $('[data-figure="connect"]').textContent = '–';
    $('[data-figure="register"]').textContent = '–';
    return Phone.checkConnection(10000).then(function (r) {
      if (r.connectMs !== null) $('[data-figure="connect"]').textContent = r.connectMs + ' ms';
      if (r.registerMs !== null) $('[data-figure="register"]').textContent = r.registerMs + ' ms';
      result('connection', r.ok, r.ok ? 'The browser phone reaches the phone system.' : r.reason);
      root.setAttribute('data-connection', r.ok ? 'ok' : 'failed');
    });
  }

  micSelect.addEventListener('change', function () {
    Phone.setMicrophone(micSelect.value);
    if (micStream) startMic();
  });
  speakerSelect.addEventListener('change', function () { Phone.setSpeaker(speakerSelect.value); });
  root.addEventListener('click', function (e) {
    var action = e.target.closest && e.target.closest('[data-action]');
    if (!action) return;
    var run = { mic: startMic, tone: playTone, echo: echo, connection: connection }[action.getAttribute('data-action')];
    if (run) run();
  });
  navigator.mediaDevices.addEventListener('devicechange', listDevices);
  listDevices();
})();
