"""Reading `hearken features` dumps (numpy only), normalisation statistics, epoch plans and batches.

Dump layout: DIR/index.json = {"featureConfig", "dim", "shards": [{"file", "frames"}],
"utterances": [{"id", "file", "transcript", "shard", "offset", "frames", "seconds"}], "failures"}; shards are
raw little-endian float32 [frames, dim].  A 30 ms step stacks 10 ms frames 3j, 3j+1, 3j+2 (trailing partial
group dropped), see docs/model-format.md.
"""
import json
import math
import os
import random

import numpy as np

from cmn import normalise_stacked
from model import encode

STACK = 3


class FeatureSource:
    """What training reads: `utts` (dicts with id, transcript, frames, seconds), stacked features per utterance.
    Subclasses provide `frames(u, n)`: the first n raw 10 ms frames of utterance u as float32 [n, dim]."""

    def steps(self, i):
        return int(self.utts[i]["frames"]) // STACK

    def features(self, i, phase=0):
        """Stacked raw features [steps, 3*dim] float32; the first step stacks raw frames phase..phase+2."""
        n = (int(self.utts[i]["frames"]) - phase) // STACK
        return self.frames(self.utts[i], phase + n * STACK)[phase:].reshape(n, STACK * self.dim)

    def seconds(self):
        return sum(float(u.get("seconds", u["frames"] * 0.01)) for u in self.utts)

    def __len__(self):
        return len(self.utts)


class Dump(FeatureSource):
    def __init__(self, path, name=None):
        self.path = path
        self.name = name or os.path.basename(os.path.normpath(path))
        with open(os.path.join(path, "index.json")) as f:
            self.index = json.load(f)
        self.dim = int(self.index["dim"])
        self.feature_config = self.index.get("featureConfig")
        self.utts = self.index["utterances"]
        self._maps = {}

    def shard(self, i):
        m = self._maps.get(i)
        if m is None:
            sh = self.index["shards"][i]
            m = np.memmap(os.path.join(self.path, sh["file"]), dtype="<f4", mode="r",
                          shape=(int(sh["frames"]), self.dim))
            self._maps[i] = m
        return m

    def frames(self, u, n):
        off = int(u["offset"])
        return np.asarray(self.shard(int(u["shard"]))[off:off + n], dtype=np.float32)


def open_dump(path, name=None, jobs=1):
    """A `hearken features` dump folder, or a compact pack (training/lcblstm/pack.py) when the folder has pack.json."""
    if os.path.exists(os.path.join(path, "pack.json")):
        from pack import PackedDump
        return PackedDump(path, name, jobs=jobs)
    return Dump(path, name)


class Item:
    __slots__ = ("dump", "idx", "steps", "labels")

    def __init__(self, dump, idx, steps, labels):
        self.dump, self.idx, self.steps, self.labels = dump, idx, steps, labels


def load_items(dump, max_steps=None, min_steps=1, feasible_only=True):
    """Usable utterances of a dump: label length <= steps (CTC feasibility; off for evaluation), optional
    length cap."""
    items, skipped = [], 0
    for i, u in enumerate(dump.utts):
        steps = dump.steps(i)
        labels = encode(u.get("transcript", ""))
        if steps < min_steps or (feasible_only and (not labels or len(labels) > steps)) or (max_steps and steps > max_steps):
            skipped += 1
            continue
        items.append(Item(dump, i, steps, labels))
    return items, skipped


def compute_stats(dumps, max_steps_total=3_000_000, seed=0):
    """Global mean/std of stacked features over (a random sample of) the utterances of `dumps`."""
    rng = random.Random(seed)
    pairs = [(d, i) for d in dumps for i in range(len(d))]
    rng.shuffle(pairs)
    s = s2 = None
    n = 0
    for d, i in pairs:
        a = d.features(i).astype(np.float64)
        if a.shape[0] == 0:
            continue
        if s is None:
            s = np.zeros(a.shape[1]); s2 = np.zeros(a.shape[1])
        s += a.sum(0); s2 += (a * a).sum(0); n += a.shape[0]
        if n >= max_steps_total:
            break
    mean = s / n
    std = np.sqrt(np.maximum(s2 / n - mean * mean, 1e-8))
    std = np.maximum(std, 1e-3)
    return mean.astype(np.float32), std.astype(np.float32), n


# ---------------------------------------------------------------------------------------------- epoch plan
def group_shares(group_seconds, mix=None, real_min_share=0.5):
    """Target fraction of each group's seconds per epoch.  `mix` = explicit {group: fraction}; otherwise the
    natural shares with group "real" lifted to at least `real_min_share` (others scaled down)."""
    total = sum(group_seconds.values())
    if mix:
        z = sum(mix.get(g, 0.0) for g in group_seconds)
        return {g: mix.get(g, 0.0) / z for g in group_seconds}
    shares = {g: s / total for g, s in group_seconds.items()}
    if "real" in shares and len(shares) > 1 and shares["real"] < real_min_share:
        rest = 1.0 - shares["real"]
        shares = {g: (real_min_share if g == "real" else v * (1 - real_min_share) / rest)
                  for g, v in shares.items()}
    return shares


def epoch_items(groups, shares, epoch_seconds, rng):
    """groups: {name: [Item]}.  Each group contributes shares[g]*epoch_seconds of audio: whole copies of the
    group (oversampling) plus a random subset for the fractional part."""
    out = []
    for g, items in groups.items():
        if not items:
            continue
        gsec = sum(it.steps for it in items) * 0.03
        factor = shares.get(g, 0.0) * epoch_seconds / gsec
        whole = int(factor)
        for _ in range(whole):
            out.extend(items)
        frac = factor - whole
        if frac > 0:
            k = int(round(frac * len(items)))
            out.extend(rng.sample(items, k))
    return out


def make_batches(items, batch_steps, max_utts, chunk, lookahead):
    """Consecutive items (already ordered) -> batches whose padded size B * (K*C + R) <= batch_steps."""
    batches, cur, cur_max = [], [], 0
    for it in items:
        t = max(1, math.ceil(it.steps / chunk)) * chunk + lookahead
        m = max(cur_max, t)
        if cur and (m * (len(cur) + 1) > batch_steps or len(cur) >= max_utts):
            batches.append(cur)
            cur, m = [], t
        cur.append(it)
        cur_max = m
    if cur:
        batches.append(cur)
    return batches


def epoch_plan(groups, shares, epoch_seconds, epoch, seed, batch_steps, max_utts, chunk, lookahead,
               world, sortagrad=True):
    """List of steps; each step is a list of `world` batches (one per rank).  Deterministic in (seed, epoch) so
    every rank computes the same plan and a resumed run can skip the steps already done.
    Epoch 0 (sortagrad): shortest utterances first.  Later: length-bucketed random batches."""
    rng = random.Random(seed * 1000003 + epoch)
    items = epoch_items(groups, shares, epoch_seconds, rng)
    if epoch == 0 and sortagrad:
        items.sort(key=lambda it: it.steps)
        batches = make_batches(items, batch_steps, max_utts, chunk, lookahead)
        steps = [batches[i:i + world] for i in range(0, len(batches) - world + 1, world)]
    else:
        rng.shuffle(items)
        pool = max(1, max_utts) * 64
        batches = []
        for p in range(0, len(items), pool):
            part = sorted(items[p:p + pool], key=lambda it: it.steps)
            batches.extend(make_batches(part, batch_steps, max_utts, chunk, lookahead))
        # neighbouring batches have similar lengths: deal them to the ranks together (balanced work)
        steps = [batches[i:i + world] for i in range(0, len(batches) - world + 1, world)]
        rng.shuffle(steps)
    return steps


# ---------------------------------------------------------------------------------------------- collate
class FrameShift:
    """Where an utterance sits on the model's grids, drawn at random: the stacking phase (which raw 10 ms frame a
    30 ms step starts on) and the chunk alignment (how many steps of leading silence, copies of the first step,
    come before it, 0..chunk-1).  Without it training sees every utterance on one grid only, while a stream meets
    speech at any phase and any offset into a chunk; the shipped model's greedy real-dev CER moved by up to a
    point under 10-20 ms shifts of the audio."""

    def __init__(self, chunk):
        self.chunk = chunk

    def __call__(self, item, rng):
        phase = rng.randint(0, STACK - 1)
        frames = int(item.dump.utts[item.idx]["frames"])
        if (frames - phase) // STACK < len(item.labels):  # CTC needs a step per label
            phase = 0
        return phase, rng.randint(0, self.chunk - 1)


class SilenceCut:
    """With probability `prob`, cuts the silence at one end of an utterance, so training also sees speech from the
    very first step (`side="lead"`, --onset-cut), with no silence to warm the forward state up on, or speech to
    the very last one (`side="trail"`, --offset-cut), with nothing between the last word and the stream's padding.
    The silence is the steps before the first (after the last) loud one, less 0-2 steps; a loud step is one whose
    first frame's c0 is within `margin` of the utterance's loudest step.  Clips cut by other tools (LJ Speech's, a
    VAD's) arrive that way: the shipped model got the first word right on 23 % of real-dev utterances with their
    leading silence cut against 62 % uncut (sox silence; training/README.md, eighth session), and the last word on
    58 % of synth-dev's with their trailing silence cut against 66 % uncut (tenth session)."""

    def __init__(self, prob, side="lead", margin=None):
        if side not in ("lead", "trail"):
            raise ValueError("side must be lead or trail")
        self.prob, self.side = prob, side
        # c0 follows the log energy; by default a step within a third of the utterance's own c0 range of its
        # loudest step counts as loud, whatever the recording level
        self.margin = margin

    def __call__(self, f, n_labels, rng):
        """-> (features without the cut steps, whether it cut)."""
        if self.prob <= 0 or len(f) == 0 or rng.random() >= self.prob:
            return f, False
        c0 = f[:, 0]
        lo, hi = float(np.min(c0)), float(np.max(c0))
        margin = self.margin if self.margin is not None else (hi - lo) / 3
        loud = np.nonzero(c0 >= hi - margin)[0]
        if self.side == "lead":
            cut = max(0, (int(loud[0]) if len(loud) else 0) - rng.randint(0, 2))
        else:
            keep = min(len(f), (int(loud[-1]) + 1 if len(loud) else len(f)) + rng.randint(0, 2))
            cut = len(f) - keep
        if cut == 0 or len(f) - cut < n_labels:  # CTC needs a step per label
            return f, False
        return (f[cut:] if self.side == "lead" else f[:len(f) - cut]), True


def collate(batch, mean, std, chunk, lookahead, augment=None, rng=None, shift=None, onset=None, offset=None,
            warp=None, cmn=None):
    """-> x [B, K*C+R, D] normalised features (padding = 0 = normalised mean), targets, input_lengths,
    target_lengths, real steps.  input_lengths = each utterance's own chunk-padded length (K_i*C): the model
    learns to emit blanks over the padding the stream will see in its last window.  `shift` (a FrameShift)
    moves each utterance on the stacking and chunk grids; `onset` (a leading SilenceCut) cuts some utterances' leading
    silence, and those get no chunk-offset padding (copies of their first step would be speech); `offset` (a
    trailing SilenceCut) cuts some utterances' trailing silence; `warp` (a VocalTractWarp) gives each utterance a
    random vocal tract length; `cmn` (a model's sliding mean normalisation config) runs last, on the frames the
    stream would see."""
    B = len(batch)
    feats = []
    for it in batch:
        phase, pad = shift(it, rng) if shift is not None else (0, 0)
        f = it.dump.features(it.idx, phase)
        if onset is not None:
            f, cut = onset(f, len(it.labels), rng)
            if cut:
                pad = 0
        if offset is not None:
            f, _ = offset(f, len(it.labels), rng)
        if warp is not None:
            f = warp(f, rng)
        if pad and len(f):
            f = np.concatenate([np.repeat(f[:1], pad, axis=0), f])
        feats.append(normalise_stacked(f, cmn))
    Ks = [max(1, math.ceil(len(f) / chunk)) for f in feats]
    T = max(Ks) * chunk + lookahead
    D = mean.shape[0]
    x = np.zeros((B, T, D), dtype=np.float32)
    for b, f in enumerate(feats):
        x[b, :f.shape[0]] = (f - mean) / std
        if augment is not None:
            augment(x[b, :f.shape[0]], rng)
    targets = np.concatenate([np.asarray(it.labels, dtype=np.int64) for it in batch])
    in_len = np.asarray([k * chunk for k in Ks], dtype=np.int64)
    tg_len = np.asarray([len(it.labels) for it in batch], dtype=np.int64)
    return x, targets, in_len, tg_len, sum(it.steps for it in batch)


class VocalTractWarp:
    """Vocal tract length perturbation (VTLP, Jaitly & Hinton 2013) on the dumped MFCCs, a fresh warp factor per
    utterance per draw, so every epoch hears new speakers rather than the fixed sox copies of real-vtp/synth-vtp.
    The shipped model reads training utterances at 6 % CER and unseen speakers at 23-25 % (twenty-second session):
    it is speaker-bound, not under-trained.  An MFCC frame is a scale-2 DCT-II of meyda's 40 log mel bands cut to 30
    coefficients, so the log mel bands it came from are recovered (smoothed) by the DCT's pseudo-inverse, the
    frequency axis is warped there (piecewise linear, Nyquist fixed) and the DCT taken again: one 30x30 matrix per
    warp factor, exact identity at factor 1.  The front end itself is untouched, so inference is unchanged."""

    def __init__(self, feature_config, max_warp=0.1, boundary_hz=4800.0, table=41):
        mel_bands = int(feature_config["melBands"])
        self.coeffs = int(feature_config["mfccCoefficients"])
        nyquist = float(feature_config["sampleRate"]) / 2
        self.boundary, self.nyquist = boundary_hz, nyquist
        n = np.arange(mel_bands)
        k = np.arange(self.coeffs)[:, None]
        self.dct = 2.0 * np.cos(np.pi / mel_bands * (n[None, :] + 0.5) * k)     # [coeffs, bands], as meyda's `dct`
        self.inverse = np.linalg.pinv(self.dct)                                  # [bands, coeffs]
        # band centres as meyda places them: equally spaced on 1125 ln(1 + f / 700) between 0 and Nyquist
        top = 1125.0 * np.log1p(nyquist / 700.0)
        mels = np.arange(1, mel_bands + 1) * top / (mel_bands + 1)
        self.centres = 700.0 * np.expm1(mels / 1125.0)
        # a table of warp factors, so drawing one costs a lookup rather than a pseudo-inverse product
        self.factors = np.linspace(1.0 - max_warp, 1.0 + max_warp, table)
        self.matrices = np.stack([self.matrix(a) for a in self.factors]).astype(np.float32)

    def source_frequency(self, f, alpha):
        """Where the warped spectrum at frequency f is read from in the original: the inverse of VTLP's map, which
        scales by alpha below a knee and runs straight to (Nyquist, Nyquist) above it."""
        knee = self.boundary * min(alpha, 1.0) / alpha
        warped_knee = knee * alpha
        below = f / alpha
        above = knee + (f - warped_knee) * (self.nyquist - knee) / (self.nyquist - warped_knee)
        return np.where(f <= warped_knee, below, above)

    def matrix(self, alpha):
        """[coeffs, coeffs]: MFCC -> MFCC of the same frame spoken through a vocal tract 1/alpha as long."""
        src = self.source_frequency(self.centres, alpha)
        pos = np.interp(src, self.centres, np.arange(len(self.centres)))  # fractional band index, clamped
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, len(self.centres) - 1)
        w = pos - lo
        warp = np.zeros((len(self.centres), len(self.centres)))
        warp[np.arange(len(lo)), lo] += 1.0 - w
        warp[np.arange(len(lo)), hi] += w
        return self.dct @ warp @ self.inverse

    def __call__(self, f, rng):
        """Raw stacked features [steps, stack * coeffs] -> the same utterance at a random warp factor."""
        m = self.matrices[rng.randint(0, len(self.matrices) - 1)]
        frames = f.reshape(-1, self.coeffs) @ m.T
        return frames.reshape(f.shape).astype(np.float32, copy=False)


class SpecAugment:
    """Mild masking on normalised stacked features (0 = mean).  Frequency masks hit the same coefficients
    in all three stacked frames; time masks are counted per second of audio."""

    def __init__(self, coeffs=30, stack=STACK, freq_masks=2, freq_width=4, time_masks_per_sec=0.3,
                 time_width=4):
        self.coeffs, self.stack = coeffs, stack
        self.freq_masks, self.freq_width = freq_masks, freq_width
        self.time_rate, self.time_width = time_masks_per_sec, time_width

    def __call__(self, a, rng):
        T = a.shape[0]
        for _ in range(self.freq_masks):
            w = rng.randint(0, self.freq_width)
            if w == 0:
                continue
            f0 = rng.randint(0, self.coeffs - w)
            for s in range(self.stack):
                a[:, s * self.coeffs + f0: s * self.coeffs + f0 + w] = 0.0
        n = int(T * 0.03 * self.time_rate + rng.random())
        for _ in range(n):
            w = rng.randint(1, self.time_width)
            if T <= w:
                break
            t0 = rng.randint(0, T - w)
            a[t0:t0 + w] = 0.0
