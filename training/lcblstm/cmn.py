"""Sliding-window cepstral mean normalisation, causal, as the runtime applies it (src/features/sliding-cmn.ts).

Each 10 ms frame t is shifted by the difference between the global mean g and the mean of the last `window`
frames up to and including t, blended with `priorFrames` frames' worth of g so that the first frames of a stream,
which have little history, are moved only a little:

    m_t = (sum_{s = max(0, t - window + 1)}^{t} x_s + priorFrames * g) / (min(t + 1, window) + priorFrames)
    y_t = x_t - m_t + g

A channel or speaker offset (a microphone's tilt, a child's formants) leaves y almost unchanged after a few
seconds, while the features keep the global range the model's in-graph normalisation expects; a fine-tune from a
model trained without it starts from inputs close to the ones it knows.  It needs no speaker information, looks at
past frames only (so streaming equals batch however audio is cut into packets), and works from the first frame.
The config travels in model.json as {"window", "priorFrames", "priorMean"} (docs/model-format.md).
"""
import numpy as np

STACK = 3


def make_config(window, prior_frames, stacked_mean, stack=STACK):
    """The model.json block; the per-frame prior mean is the average of the stacked mean's `stack` slices."""
    m = np.asarray(stacked_mean, dtype=np.float64).reshape(stack, -1).mean(axis=0)
    return {"window": int(window), "priorFrames": int(prior_frames), "priorMean": [float(v) for v in m]}


def normalise_frames(x, cmn):
    """[n, dim] raw 10 ms frames -> the same frames after the sliding mean normalisation (float32)."""
    if not cmn or len(x) == 0:
        return x
    w, p = int(cmn["window"]), float(cmn["priorFrames"])
    g = np.asarray(cmn["priorMean"], dtype=np.float64)
    c = np.cumsum(x, axis=0, dtype=np.float64)
    s = c.copy()
    if len(x) > w:
        s[w:] -= c[:-w]
    count = np.minimum(np.arange(1, len(x) + 1), w)[:, None]
    m = (s + p * g) / (count + p)
    return (x - m + g).astype(np.float32)


def normalise_stacked(f, cmn, stack=STACK):
    """[steps, stack * dim] stacked raw features -> normalised per 10 ms frame, restacked."""
    if not cmn or len(f) == 0:
        return f
    n, d = f.shape
    return normalise_frames(np.ascontiguousarray(f).reshape(n * stack, d // stack), cmn).reshape(n, d)
