// The browser phone: JsSIP (bundled at /static/vendor/jssip.js, global JsSIP) registering as the agent's extension
// through the console's own origin (/sip, proxied by the controller to FreeSWITCH on loopback).
// Plain JS, no build step. Exposes window.CallboxPhone.
(function () {
  'use strict';

  var KEYS = { mic: 'callbox.phone.microphone', speaker: 'callbox.phone.speaker' };
  var listeners = {};
  var ua = null;
  var session = null;
  var settings = null;
  var localStream = null;
  var audio = null;
  var current = { state: 'unregistered', reason: null };
  var muted = false;

  function emit(name, data) {
    (listeners[name] || []).slice().forEach(function (fn) {
      try {
        fn(data);
      } catch (e) {
        // A listener's mistake must not stop the phone; the console shows it.
        console.error('CallboxPhone listener for ' + name + ' failed', e);
      }
    });
  }

  function setStatus(state, reason) {
    current = { state: state, reason: reason || null, at: Date.now() };
    emit('status', current);
  }

  function wsUrl(path) {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path;
  }

  function remembered(kind) {
    try {
      return localStorage.getItem(KEYS[kind]) || '';
    } catch (e) {
      // Storage can be off (private mode, policy): the default device is used then.
      return '';
    }
  }

  function remember(kind, id) {
    try {
      if (id) localStorage.setItem(KEYS[kind], id);
      else localStorage.removeItem(KEYS[kind]);
    } catch (e) {
      // As above: the choice lasts for this page only.
    }
  }

  function remoteAudio() {
    if (audio) return audio;
    audio = document.createElement('audio');
    audio.autoplay = true;
    audio.hidden = true;
    audio.setAttribute('data-phone', 'remote-audio');
    document.body.appendChild(audio);
    applySpeaker(audio, remembered('speaker'));
    return audio;
  }

  function applySpeaker(el, id) {
    if (!id || typeof el.setSinkId !== 'function') return Promise.resolve();
    return el.setSinkId(id).catch(function (e) {
      // The remembered speaker is unplugged: the default one plays.
      console.warn('speaker not available', e);
    });
  }

  function microphone(id) {
    var audioConstraints = id ? { deviceId: { exact: id }, echoCancellation: true, noiseSuppression: true } : { echoCancellation: true, noiseSuppression: true };
    return navigator.mediaDevices.getUserMedia({ audio: audioConstraints, video: false }).catch(function (e) {
      // CASE: the remembered microphone is gone: fall back to the default rather than fail the call.
      if (id && (e.name === 'OverconstrainedError' || e.name === 'NotFoundError')) return microphone('');
      throw e;
    });
  }

  function parseAutoAnswer(request) {
    var info = request.getHeaders('Call-Info') || [];
    for (var i = 0; i < info.length; i++) if (/answer-after\s*=\s*0\b/i.test(info[i])) return true;
    return request.getHeader('X-Callbox-Auto-Answer') === '1';
  }

  function headersOf(request) {
    var out = {};
    Object.keys(request.headers || {}).forEach(function (name) {
      if (/^(Call-Info|Alert-Info|X-.*|P-Asserted-Identity|Remote-Party-ID)$/i.test(name)) out[name] = request.getHeader(name);
    });
    return out;
  }

  function attachSession(s) {
    session = s;
    s.on('peerconnection', function (e) {
      e.peerconnection.addEventListener('track', function (ev) {
        var el = remoteAudio();
        el.srcObject = ev.streams && ev.streams[0] ? ev.streams[0] : new MediaStream([ev.track]);
        var p = el.play();
        if (p && p.catch) p.catch(function () { /* autoplay waits for a click on some browsers; the call still runs */ });
      });
    });
    s.on('confirmed', function () {
      emit('answered', { id: s.id });
    });
    var ended = function (e) {
      if (session === s) session = null;
      if (localStream) localStream.getTracks().forEach(function (t) { t.stop(); });
      localStream = null;
      muted = false;
      emit('ended', { id: s.id, cause: e && e.cause ? e.cause : 'ended', originator: e && e.originator });
    };
    s.on('ended', ended);
    s.on('failed', ended);
  }

  function onNewSession(e) {
    if (e.originator !== 'remote') {
      attachSession(e.session);
      return;
    }
    // One call at a time: the ACD never offers a second one to a busy agent, but a direct call might come.
    if (session) {
      e.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    var req = e.request;
    attachSession(e.session);
    var info = {
      id: e.session.id,
      callerNumber: req.from.uri.user,
      callerName: req.from.display_name || '',
      autoAnswer: parseAutoAnswer(req),
      headers: headersOf(req),
    };
    emit('incoming', info);
    // Click-to-dial rings the agent's own phone first, marked auto-answer: it is the agent's own call.
    if (info.autoAnswer) answer().catch(function (err) { console.error('auto-answer failed', err); });
  }

  var Phone = {
    on: function (name, fn) {
      (listeners[name] = listeners[name] || []).push(fn);
      return function off() {
        listeners[name] = (listeners[name] || []).filter(function (f) { return f !== fn; });
      };
    },

    state: function () {
      return current;
    },

    settings: function () {
      return settings;
    },

    /** Fetch the account, start the user agent and register; resolves once the user agent is started. */
    start: function () {
      if (ua) return Promise.resolve(settings);
      if (typeof JsSIP === 'undefined') {
        setStatus('failed', 'The SIP library did not load.');
        return Promise.reject(new Error('JsSIP not loaded'));
      }
      setStatus('connecting', null);
      return fetch('/agent/phone', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) {
          var json = (res.headers.get('content-type') || '').indexOf('json') >= 0 ? res.json() : Promise.resolve({ message: 'Sign in again.' });
          return json.then(function (body) {
            if (!res.ok) throw new Error(body.message || 'The browser phone is not available (' + res.status + ').');
            return body;
          });
        })
        .then(function (s) {
          settings = s;
          var socket = new JsSIP.WebSocketInterface(wsUrl(s.wsPath));
          ua = new JsSIP.UA({
            sockets: [socket],
            uri: s.uri,
            authorization_user: s.authorizationUser,
            password: s.password,
            display_name: s.displayName,
            user_agent: s.userAgent,
            register: true,
            register_expires: 120,
            session_timers: false,
            // JsSIP reconnects by itself after a network loss, backing off between 2 and 30 seconds.
            connection_recovery_min_interval: 2,
            connection_recovery_max_interval: 30,
          });
          ua.on('connecting', function () { setStatus('connecting', null); });
          ua.on('disconnected', function (e) {
            var why = e && e.code ? 'WebSocket closed (' + e.code + (e.reason ? ': ' + e.reason : '') + ')' : 'WebSocket closed';
            setStatus('disconnected', why);
          });
          ua.on('registered', function () { setStatus('registered', null); });
          ua.on('unregistered', function (e) { setStatus('unregistered', e && e.cause ? e.cause : null); });
          ua.on('registrationFailed', function (e) {
            var r = e && e.response;
            setStatus('failed', r ? r.status_code + ' ' + r.reason_phrase : e && e.cause ? e.cause : 'registration failed');
          });
          ua.on('newRTCSession', onNewSession);
          ua.start();
          return s;
        })
        .catch(function (e) {
          setStatus('failed', e.message);
          throw e;
        });
    },

    stop: function () {
      if (!ua) return;
      if (session) session.terminate();
      var old = ua;
      ua = null;
      old.stop();
      setStatus('unregistered', 'stopped');
    },

    /** Answer the ringing call with the chosen microphone. */
    answer: function () {
      return answer();
    },

    hangup: function () {
      if (session && !session.isEnded()) session.terminate();
    },

    /** Local mute: the microphone track stops sending sound (the console also has a server-side mute). */
    mute: function (on) {
      muted = Boolean(on);
      if (localStream) localStream.getAudioTracks().forEach(function (t) { t.enabled = !muted; });
      return muted;
    },

    sendDtmf: function (digits) {
      if (!session || !session.isEstablished()) throw new Error('No call is connected.');
      // RFC 2833 events in the media, as the internal profile expects (dtmf-type rfc2833).
      session.sendDTMF(String(digits), { transportType: 'RFC2833', duration: 120, interToneGap: 80 });
    },

    /** Microphones and speakers, with the remembered choice of each. */
    devices: function () {
      return navigator.mediaDevices.enumerateDevices().then(function (list) {
        var pick = function (kind) {
          return list.filter(function (d) { return d.kind === kind; }).map(function (d, i) {
            return { id: d.deviceId, label: d.label || (kind === 'audioinput' ? 'Microphone ' : 'Speaker ') + (i + 1) };
          });
        };
        return { microphones: pick('audioinput'), speakers: pick('audiooutput'), microphone: remembered('mic'), speaker: remembered('speaker') };
      });
    },

    setMicrophone: function (id) {
      remember('mic', id);
    },

    setSpeaker: function (id) {
      remember('speaker', id);
      return audio ? applySpeaker(audio, id) : Promise.resolve();
    },

    microphone: function () {
      return microphone(remembered('mic'));
    },

    /** Packets and bytes of the call's audio, from the peer connection's statistics. */
    stats: function () {
      var pc = session && session.connection;
      if (!pc) return Promise.resolve(null);
      return pc.getStats().then(function (report) {
        var out = { packetsSent: 0, packetsReceived: 0, bytesSent: 0, bytesReceived: 0, codec: null };
        report.forEach(function (r) {
          if (r.type === 'outbound-rtp' && (r.kind || r.mediaType) === 'audio') {
            out.packetsSent += r.packetsSent || 0;
            out.bytesSent += r.bytesSent || 0;
          } else if (r.type === 'inbound-rtp' && (r.kind || r.mediaType) === 'audio') {
            out.packetsReceived += r.packetsReceived || 0;
            out.bytesReceived += r.bytesReceived || 0;
            var c = r.codecId && report.get(r.codecId);
            if (c) out.codec = c.mimeType;
          }
        });
        return out;
      });
    },

    /**
     * The device check's connection test: a separate user agent opens the proxy's WebSocket and registers,
     * then unregisters. Resolves with the time to connect and to register, or the reason it failed.
     */
    checkConnection: function (timeoutMs) {
      var started = performance.now();
      return fetch('/agent/phone', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) {
          return res.json().then(function (body) {
            if (!res.ok) throw new Error(body.message || 'not available (' + res.status + ')');
            return body;
          });
        })
        .then(function (s) {
          return new Promise(function (resolve) {
            var t0 = performance.now();
            var result = { ok: false, connectMs: null, registerMs: null, reason: null, settingsMs: Math.round(t0 - started) };
            var probe = new JsSIP.UA({
              sockets: [new JsSIP.WebSocketInterface(wsUrl(s.wsPath))],
              uri: s.uri,
              authorization_user: s.authorizationUser,
              password: s.password,
              display_name: s.displayName,
              user_agent: s.userAgent,
              register: true,
              register_expires: 60,
              connection_recovery_min_interval: 60,
              connection_recovery_max_interval: 60,
            });
            var done = function (reason) {
              if (result.ok || result.reason) return;
              clearTimeout(timer);
              if (reason) result.reason = reason;
              else result.ok = true;
              probe.stop();
              resolve(result);
            };
            var timer = setTimeout(function () { done('No answer within ' + Math.round((timeoutMs || 10000) / 1000) + ' s.'); }, timeoutMs || 10000);
            probe.on('connected', function () { result.connectMs = Math.round(performance.now() - t0); });
            probe.on('disconnected', function (e) {
              if (result.registerMs === null) done('The connection closed' + (e && e.code ? ' (' + e.code + (e.reason ? ': ' + e.reason : '') + ')' : '') + '.');
            });
            probe.on('registered', function () {
              result.registerMs = Math.round(performance.now() - t0);
              done(null);
            });
            probe.on('registrationFailed', function (e) {
              var r = e && e.response;
              done('Registration refused: ' + (r ? r.status_code + ' ' + r.reason_phrase : e && e.cause ? e.cause : 'unknown') + '.');
            });
            probe.start();
          });
        })
        .catch(function (e) {
          return { ok: false, connectMs: null, registerMs: null, reason: e.message };
        });
    },
  };

  function answer() {
    if (!session) return Promise.reject(new Error('No call to answer.'));
    var s = session;
    return microphone(remembered('mic')).then(function (stream) {
      localStream = stream;
      stream.getAudioTracks().forEach(function (t) { t.enabled = !muted; });
      s.answer({ mediaStream: stream, mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] }, rtcOfferConstraints: { offerToReceiveAudio: true } });
    });
  }

  // Back on the network: register again at once rather than wait for JsSIP's backoff.
  window.addEventListener('online', function () {
    if (!ua) return;
    if (ua.isConnected()) ua.register();
    else {
      var old = ua;
      old.stop();
      setTimeout(function () { if (ua === old) old.start(); }, 300);
    }
  });
  window.addEventListener('offline', function () {
    if (ua) setStatus('disconnected', 'The network is offline.');
  });
  window.addEventListener('beforeunload', function () {
    if (ua) ua.stop();
  });

  window.CallboxPhone = Phone;
})();
