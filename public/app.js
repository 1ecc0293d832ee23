// Hearken captions page: microphone → AudioWorklet (16 kHz s16le) → WebSocket (Vosk protocol) → captions.
// The microphone and the socket start together; audio captured before the socket opens is kept and sent, in
// order, right after the stream's config, so the first word said after pressing Start is not lost.
const RATE = 16000;
const $ = (id) => document.getElementById(id);
const toggle = $('toggle');
let session = null;

// data-state (for scripts and tests) and the words the page shows for it
const STATES = {
  idle: 'ready',
  connecting: 'connecting…',
  live: 'connected',
  stopping: 'finishing…',
  closed: 'stopped',
  lost: 'connection lost',
  unreachable: 'server unreachable',
  error: 'not started',
};

function setState(state) {
  document.body.dataset.state = state;
  $('status').textContent = STATES[state];
}

function showError(message) {
  const el = $('error');
  el.textContent = message;
  el.hidden = false;
  document.body.dataset.error = message;
}

function socketUrl() {
  const url = new URL('/', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  if (token) url.searchParams.set('token', token);
  return url.href;
}

function addFinal(text) {
  if (!text) return;
  const el = $('final');
  el.textContent = el.textContent ? `${el.textContent} ${text}` : text;
}

function streamConfig() {
  const phrases = $('phrases').value.split('\n').map((p) => p.trim()).filter(Boolean);
  return {
    sample_rate: RATE,
    words: true,
    numerals: $('numerals').checked,
    punctuate: $('punctuate').checked,
    // true: the server's default list of profanity and slurs
    mask_words: $('mask').checked,
    ...(phrases.length ? { phrase_list: phrases } : {}),
  };
}

async function start() {
  $('error').hidden = true;
  delete document.body.dataset.error;
  delete document.body.dataset.closeCode;
  $('final').textContent = '';
  $('partial').textContent = '';
  if (!navigator.mediaDevices?.getUserMedia) {
    // browsers give pages the microphone only in a secure context: https://, or http://localhost
    showError('This browser gives the microphone only to secure pages: open this page over https:// (or as http://localhost on the machine that runs Hearken).');
    setState('error');
    return;
  }
  setState('connecting');
  toggle.disabled = true;
  // pending: audio captured while the socket is still opening; ready: config sent, audio goes straight out;
  // ended: the session is over (closed, failed), whatever start() is still waiting for
  const s = { ws: null, context: null, media: null, node: null, stopping: false, pending: [], ready: false, wasOpen: false, ended: false };
  session = s;
  s.ws = new WebSocket(socketUrl());
  s.ws.binaryType = 'arraybuffer';
  const socketOpen = new Promise((resolve) => {
    s.ws.onopen = () => {
      s.wasOpen = true;
      resolve(true);
    };
    s.ws.onclose = (event) => {
      resolve(false);
      closed(s, event);
    };
  });
  s.ws.onmessage = (event) => {
    const msg = JSON.parse(event.data);
    if (msg.error) showError(`server: ${msg.error}`);
    else if ('partial' in msg) $('partial').textContent = msg.partial;
    else if ('text' in msg) {
      addFinal(msg.text);
      $('partial').textContent = '';
    }
  };
  try {
    s.media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    if (s.ended) return teardown(s);
    s.context = new AudioContext({ sampleRate: RATE });
    await s.context.audioWorklet.addModule('pcm-worklet.js');
    if (s.ended) return teardown(s);
    s.node = new AudioWorkletNode(s.context, 'pcm-writer', { processorOptions: { packetSamples: RATE / 10 } });
    s.node.port.onmessage = (event) => {
      const { pcm, flushed } = event.data;
      if (!s.ready) {
        if (pcm.byteLength > 0) s.pending.push(pcm);
        return;
      }
      if (s.ws.readyState !== WebSocket.OPEN) return;
      if (pcm.byteLength > 0) s.ws.send(pcm);
      if (flushed) s.ws.send(JSON.stringify({ eof: 1 }));
    };
    s.context.createMediaStreamSource(s.media).connect(s.node);
  } catch (err) {
    if (s.ended) return teardown(s);
    s.ended = true;
    s.ws.close();
    return fail(s, 'error', `microphone: ${err && err.message ? err.message : String(err)}`);
  }
  if (!(await socketOpen) || s.ended) return;
  s.ws.send(JSON.stringify({ config: streamConfig() }));
  for (const pcm of s.pending.splice(0)) s.ws.send(pcm);
  s.ready = true;
  setState('live');
  toggle.textContent = 'Stop';
  toggle.disabled = false;
}

/** The socket closed: before it opened (the server is unreachable), after a clean stop, or lost. */
function closed(s, event) {
  if (s.ended) return;
  s.ended = true;
  document.body.dataset.closeCode = String(event.code);
  if (!s.wasOpen) {
    return fail(s, 'unreachable', `Hearken's server at ${new URL(socketUrl()).host} did not answer: is \`hearken serve\` running there?`);
  }
  const clean = event.code === 1000 || event.code === 1001;
  if (!clean && !document.body.dataset.error) showError(`connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`);
  teardown(s);
  setState(clean ? 'closed' : 'lost');
  toggle.textContent = 'Start';
  toggle.disabled = false;
  if (session === s) session = null;
}

function fail(s, state, message) {
  showError(message);
  teardown(s);
  setState(state);
  toggle.textContent = 'Start';
  toggle.disabled = false;
  if (session === s) session = null;
}

function teardown(s) {
  s.media?.getTracks().forEach((t) => t.stop());
  try { s.node?.disconnect(); } catch { /* already */ }
  s.context?.close().catch(() => undefined);
  s.context = null;
  s.pending = [];
}

function stop() {
  const s = session;
  if (!s || s.stopping) return;
  s.stopping = true;
  setState('stopping');
  toggle.disabled = true;
  s.media?.getTracks().forEach((t) => t.stop());
  // The worklet sends what it holds, then the eof; the server replies with the final result and closes.
  s.node.port.postMessage('flush');
}

// ?phrases=yes|no|call%20bob fills the phrase list, so a link can open the page ready for a command grammar;
// ?mask=0 starts with word masking off.
const params = new URLSearchParams(location.search);
const preset = params.get('phrases');
if (preset) {
  $('phrases').value = preset.split('|').join('\n');
  $('grammar').open = true;
}
if (params.get('mask') === '0') $('mask').checked = false;
if (!window.isSecureContext) $('secure-note').classList.add('warn');

toggle.addEventListener('click', () => (session ? stop() : start()));
setState('idle');
