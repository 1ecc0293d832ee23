// accept-model.sh's rule: does a candidate's dev WER beat the shipped model's by enough, and lose nowhere by much?
//
//   node training/decoder/accept-rule.mjs SHIPPED.json CANDIDATE.json MIN_GAIN MAX_SET_LOSS
//
// Each JSON is a models/default.json written by tune-decoder.ts --write: decoder.devWer maps each dev manifest to
// its WER (a fraction).  Prints one line per set and the means; exits 0 when the candidate's mean is at least
// MIN_GAIN below the shipped mean and no set rises by more than MAX_SET_LOSS, 1 when it does not, 2 on bad input.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

function devWer(path) {
  const wer = JSON.parse(readFileSync(path, 'utf8')).decoder?.devWer;
  if (!wer || Object.keys(wer).length === 0) throw new Error(`${path} has no decoder.devWer`);
  return wer;
}

const [shippedPath, candidatePath, minGainArg, maxLossArg] = process.argv.slice(2);
const minGain = Number(minGainArg);
const maxLoss = Number(maxLossArg);
try {
  if (!candidatePath || !Number.isFinite(minGain) || !Number.isFinite(maxLoss)) {
    throw new Error('usage: accept-rule.mjs SHIPPED.json CANDIDATE.json MIN_GAIN MAX_SET_LOSS');
  }
  const shipped = devWer(shippedPath);
  const candidate = devWer(candidatePath);
  const sets = Object.keys(shipped);
  const missing = sets.filter((s) => !(s in candidate));
  if (missing.length > 0 || sets.length !== Object.keys(candidate).length) {
    throw new Error(`the two were measured on different dev sets (${missing.join(', ') || 'extra sets'})`);
  }
  const pct = (x) => `${(100 * x).toFixed(2)} %`;
  const points = (x) => `${(100 * x).toFixed(2)} points`;
  const worse = [];
  for (const s of sets) {
    const rise = candidate[s] - shipped[s];
    if (rise > maxLoss) worse.push(s);
    console.log(`${basename(dirname(s)).padEnd(20)} shipped ${pct(shipped[s])}  candidate ${pct(candidate[s])}`);
  }
  const mean = (w) => sets.reduce((a, s) => a + w[s], 0) / sets.length;
  const gain = mean(shipped) - mean(candidate);
  console.log(`${'mean'.padEnd(20)} shipped ${pct(mean(shipped))}  candidate ${pct(mean(candidate))}`);
  const accepted = gain >= minGain && worse.length === 0;
  console.log(accepted
    ? `rule met: mean ${points(gain)} lower (needs ${points(minGain)}), no set more than ${points(maxLoss)} worse`
    : `rule not met: mean ${points(gain)} lower (needs ${points(minGain)})` +
      (worse.length ? `; more than ${points(maxLoss)} worse on ${worse.map((s) => basename(dirname(s))).join(', ')}` : ''));
  process.exit(accepted ? 0 : 1);
} catch (e) {
  console.error(`accept-rule: ${e.message}`);
  process.exit(2);
}
