// ONNX parity check of an exported model folder against its reference.json, with onnxruntime-node.
//   node training/lcblstm/verify-onnx.mjs models/<name>        (exit 0 when max |diff| < 1e-4)
// Runs the windows one at a time carrying the states (batch 1), then the same windows as a batch of 2
// (dynamic batch axis; the second stream is fed the windows in reverse order to make sure the rows are
// independent), exactly like test/model/parity.test.ts does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';

const dir = process.argv[2];
if (!dir) { console.error('usage: node training/lcblstm/verify-onnx.mjs MODEL_DIR'); process.exit(2); }
const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8'));
const session = await ort.InferenceSession.create(join(dir, meta.onnx.file));
const L = meta.layers, H = meta.hidden, W = meta.chunkFrames + meta.lookaheadFrames, D = meta.inputDim;
const C = meta.chunkFrames, V = meta.vocabulary.length;
const [fIn] = [meta.onnx.inputs.features];
const sIn = meta.onnx.inputs.states, sOut = meta.onnx.outputs.states, lpOut = meta.onnx.outputs.logProbs;

function check(cond, msg) { if (!cond) { console.error('FAIL: ' + msg); process.exit(1); } }
check(JSON.stringify(session.inputNames.slice().sort()) === JSON.stringify([fIn, ...sIn].sort()),
  `inputs ${session.inputNames}`);
check(JSON.stringify(session.outputNames.slice().sort()) === JSON.stringify([lpOut, ...sOut].sort()),
  `outputs ${session.outputNames}`);
check(ref.windows.length >= 3, 'reference.json needs >= 3 windows');

function zeros(B) { return sIn.map(() => new ort.Tensor('float32', new Float32Array(L * B * H), [L, B, H])); }

async function runStreams(streams) {
  // streams: array of arrays of window indices, all the same length
  const B = streams.length;
  let states = zeros(B);
  const outs = streams.map(() => []);
  for (let step = 0; step < streams[0].length; step++) {
    const feats = new Float32Array(B * W * D);
    streams.forEach((s, b) => feats.set(ref.windows[s[step]].features.flat(), b * W * D));
    const feeds = { [fIn]: new ort.Tensor('float32', feats, [B, W, D]) };
    sIn.forEach((n, i) => { feeds[n] = states[i]; });
    const r = await session.run(feeds);
    check(JSON.stringify(r[lpOut].dims) === JSON.stringify([B, C, V]), `log_probs dims ${r[lpOut].dims}`);
    states = sOut.map((n) => r[n]);
    for (let b = 0; b < B; b++) outs[b].push(r[lpOut].data.slice(b * C * V, (b + 1) * C * V));
  }
  return outs;
}

function maxDiff(got, windows) {
  let m = 0;
  windows.forEach((w, i) => {
    const want = ref.windows[w].logProbs.flat();
    for (let j = 0; j < want.length; j++) m = Math.max(m, Math.abs(got[i][j] - want[j]));
  });
  return m;
}

const n = ref.windows.length;
const seq = [...Array(n).keys()];
const [single] = await runStreams([seq]);
const d1 = maxDiff(single, seq);
// batch of 2: stream 0 = reference windows, stream 1 = other inputs (reversed); stream 0 must be unaffected
const [b0] = await runStreams([seq, seq.slice().reverse()]);
const d2 = maxDiff(b0, seq);
console.log(`onnx parity ${dir}: ${n} windows, max |diff| batch1 ${d1.toExponential(2)}, batch2 ${d2.toExponential(2)}`);
check(d1 < 1e-4 && d2 < 1e-4, 'max |diff| >= 1e-4');
console.log('OK');
