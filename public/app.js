// Hearken captions page: microphone → AudioWorklet (16 kHz s16le) → WebSocket (Vosk protocol) → captions.
const RATE = 16000;
const $ = (id) => document.getElementById(id);
const toggle = $('toggle');
let session = null;

function setState(state, text) {
  document.body.dataset.state = state;
  $('status').textContent = text ?? state;
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

async function start() {
  $('error').hidden = true;
  delete document.body.dataset.error;
  delete document.body.dataset.closeCode;
  $('final').textContent = '';
  $('partial').textContent = '';
  setState('connecting', 'connecting…');
  toggle.disabled = true;
  const s = { ws: null, context: null, media: null, node: null, stopping: false };
  session = s;
  try {
    s.media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    s.context = new AudioContext({ sampleRate: RATE });
    await s.context.audioWorklet.addModule('pcm-worklet.js');
    s.ws = new WebSocket(socketUrl());
    s.ws.binaryType = 'arraybuffer';
    await new Promise((resolve, reject) => {
      s.ws.onopen = resolve;
      s.ws.onerror = () => reject(new Error('could not connect to the server'));
    });
    const phrases = $('phrases').value.split('\n').map((p) => p.trim()).filter(Boolean);
    const config = { sample_rate: RATE, words: true, numerals: $('numerals').checked, punctuate: $('punctuate').checked, ...(phrases.length ? { phrase_list: phrases } : {}) };
    s.ws.send(JSON.stringify({ config }));
    s.ws.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      if (msg.error) showError(`server: ${msg.error}`);
      else if ('partial' in msg) $('partial').textContent = msg.partial;
      else if ('text' in msg) {
        addFinal(msg.text);
        $('partial').textContent = '';
      }
    };
    s.ws.onclose = (event) => {
      document.body.dataset.closeCode = String(event.code);
      if (event.code !== 1000 && event.code !== 1001 && !document.body.dataset.error) showError(`connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`);
      teardown(s);
      setState('closed', `closed (${event.code})`);
      toggle.textContent = 'Start';
      toggle.disabled = false;
      if (session === s) session = null;
    };
    s.node = new AudioWorkletNode(s.context, 'pcm-writer', { processorOptions: { packetSamples: RATE / 10 } });
    s.node.port.onmessage = (event) => {
      if (s.ws.readyState !== WebSocket.OPEN) return;
      if (event.data.pcm.byteLength > 0) s.ws.send(event.data.pcm);
      if (event.data.flushed) s.ws.send(JSON.stringify({ eof: 1 }));
    };
    s.context.createMediaStreamSource(s.media).connect(s.node);
    setState('live', 'listening');
    toggle.textContent = 'Stop';
    toggle.disabled = false;
  } catch (err) {
    showError(err && err.message ? err.message : String(err));
    teardown(s);
    if (s.ws && s.ws.readyState === WebSocket.OPEN) s.ws.close();
    setState('error', 'error');
    toggle.textContent = 'Start';
    toggle.disabled = false;
    session = null;
  }
}

function teardown(s) {
  s.media?.getTracks().forEach((t) => t.stop());
  try { s.node?.disconnect(); } catch { /* already */ }
  s.context?.close().catch(() => undefined);
  s.context = null;
}

function stop() {
  const s = session;
  if (!s || s.stopping) return;
  s.stopping = true;
  setState('stopping', 'finishing…');
  toggle.disabled = true;
  s.media?.getTracks().forEach((t) => t.stop());
  // The worklet sends what it holds, then the eof; the server replies with the final result and closes.
  s.node.port.postMessage('flush');
}

// ?phrases=yes|no|call%20bob fills the phrase list, so a link can open the page ready for a command grammar.
const preset = new URLSearchParams(location.search).get('phrases');
if (preset) {
  $('phrases').value = preset.split('|').join('\n');
  $('grammar').open = true;
}

toggle.addEventListener('click', () => (session ? stop() : start()));
