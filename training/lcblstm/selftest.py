"""End-to-end self-test of the trainer on toy dumps (no audio needed), ~2 minutes on 2 cores.

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=1 /usr/bin/python3 training/lcblstm/selftest.py

(test/training/selftest.test.ts runs it in the suite where torch and onnx are installed.)

Checks: chunked training forward == one-window streaming forward (LSTM/GRU, bi/uni, R = 0/8; dropout off in eval
mode; a unidirectional model with R > 0 emits R steps late); --shift-aug's stacking phase and chunk offset; --vtlp's
warp; --onset-cut's and --offset-cut's cuts; the weight average (--ema) updates, swaps in and out, is evaluated and
survives resume; --anchor holds the weights near the start; feature packs decode to within half a quantisation step
and train like dumps, with threaded prefetching giving the same updates as none; device-train.sh runs end to end (on
the CPU) and returns model pieces; training loss decreases with 2 DDP ranks; resume continues from last.pt; export +
ONNX parity with onnxruntime-node (and the features golden); warm start from the ONNX initializers reproduces the
checkpoint's outputs exactly (its weight matrices rounded to float16, as stored); export --ema writes the moving
average; average.py averages fine-tunes of one base and refuses others; prepare.py's speaker perturbation shifts
pitch and tempo as asked; evaluate.py runs on model folder and .pt; accept-model.sh leaves the shipped model alone
when it is the candidate, waits while another verdict holds the model's lock, and its rule (accept-rule.mjs) decides.
"""
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)  # the recipe: run.sh, accept-model.sh, local/, tools/, decoder/
REPO = os.path.dirname(TRAINING)
sys.path.insert(0, HERE)
from export import file_sha256, load_from_onnx, round_weights  # noqa: E402
from model import LCRNN, pad_to_windows  # noqa: E402

PY = sys.executable
# Toy runs end at --max-updates: their --minutes is a budget only a hang reaches (at 5 minutes, the first run
# stopped after 70 of its 120 updates beside five training jobs on two cores).  --schedule-minutes' check keeps 5.


def run(*args):
    print("+", " ".join(args), flush=True)
    r = subprocess.run(args, cwd=REPO, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout[-3000:], r.stderr[-3000:])
        raise SystemExit(f"FAILED: {' '.join(args)}")
    return r.stdout + r.stderr


def check_streaming_equivalence():
    torch.manual_seed(0)
    for cell in ("lstm", "gru"):
        for bi in (True, False):
            for R in (8, 3, 0):
                m = LCRNN(layers=3, hidden=32, cell=cell, bidirectional=bi, chunk=16, lookahead=R,
                          dropout=0.3).eval()
                m.set_normalization(torch.randn(90), torch.rand(90) + 0.5)
                x = torch.stack([pad_to_windows(torch.randn(70, 90), 16, R, m.mean) for _ in range(2)])
                with torch.no_grad():
                    y = m(x)
                    st, outs = m.zero_state(2), []
                    for k in range((x.shape[1] - R) // 16):
                        o, st = m.forward_window(x[:, k * 16:k * 16 + 16 + R], st)
                        outs.append(o)
                d = (y - torch.cat(outs, 1)).abs().max().item()
                assert d < 1e-5, (cell, bi, R, d)
    print("chunked forward == streaming forward: OK")


def check_packs(tmp):
    """training/lcblstm/pack.py round trip, training from packs, prefetch determinism, device-train.sh on the CPU and
    device-finish.sh on what it returned."""
    import numpy as np
    from dataset import Dump
    from pack import PackedDump, pack_dump
    for name in ("real", "dev"):
        pack_dump(f"{tmp}/{name}", f"{tmp}/packs/{name}", bits=5, part_frames=20000, jobs=2)
    a, b = Dump(f"{tmp}/real"), PackedDump(f"{tmp}/packs/real", jobs=2)
    assert len(b.index["parts"]) > 1 and len(a) == len(b)
    half = np.tile(b.step, 3) / 2 + 1e-4
    for i in range(0, len(a), 7):
        fa, fb = a.features(i), b.features(i)
        assert fa.shape == fb.shape
        inside = (fa >= np.tile(b.lo, 3)) & (fa <= np.tile(b.lo + b.step * 31, 3))
        assert np.all(np.abs(fa - fb)[inside] <= np.broadcast_to(half, fa.shape)[inside]), i
    print("pack round trip within half a step: OK")
    logs = []
    for pf in ("0", "3"):
        logs.append(run(PY, os.path.join(HERE, "train.py"), "--workdir", f"{tmp}/pack-{pf}", "--ranks", "1",
                        "--train", f"real={tmp}/packs/real", "--layers", "2", "--hidden", "32", "--dropout", "0.2",
                        "--log-every", "5", "--max-updates", "10", "--prefetch", pf, "--load-jobs", "2"))
    assert losses(logs[0]) and losses(logs[0]) == losses(logs[1]), (losses(logs[0]), losses(logs[1]))
    print("training from packs, prefetch 3 == prefetch 0: OK")
    store = f"{tmp}/store"
    env = dict(os.environ, STORE=store, WORK=f"{tmp}/dev-work", PY=PY)
    r = subprocess.run(["bash", os.path.join(TRAINING, "tools", "device-train.sh"), "stash", f"{tmp}/packs"], cwd=REPO, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    os.rename(f"{store}/real", f"{store}/real-train")
    os.rename(f"{store}/dev", f"{store}/real-dev")
    # a pack whose parts are still to come (a smoke run between stashes) must be left out, not crash the run
    os.makedirs(f"{store}/real-aug")
    shutil.copy(f"{store}/real-train/pack.json", f"{store}/real-aug/pack.json")
    r = subprocess.run(["bash", os.path.join(TRAINING, "tools", "device-train.sh"), "train", "0.5", "--device", "cpu",
                        "--layers", "2", "--hidden", "32", "--max-updates", "5", "--load-jobs", "2"],
                       cwd=REPO, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    pieces = sorted(os.listdir(f"{tmp}/dev-work/out"))
    assert "best-model.pt.0" in pieces and "last-model.pt.0" in pieces and "train.log" in pieces, pieces
    assert "real-aug: " in r.stderr and "left out" in r.stderr, r.stderr[-2000:]
    ck = torch.load(f"{tmp}/dev-work/out/best-model.pt.0", map_location="cpu", weights_only=False)
    assert "model" in ck and "optimizer" not in ck and "ema" not in ck, sorted(ck)
    print("device-train.sh stash + train (on the CPU): OK")
    os.makedirs(f"{tmp}/feat")
    os.symlink(f"{tmp}/dev", f"{tmp}/feat/real-dev")
    env = dict(os.environ, MODELS=f"{tmp}/models", FEAT=f"{tmp}/feat", PY=PY)
    r = subprocess.run(["bash", os.path.join(TRAINING, "tools", "device-finish.sh"), f"{tmp}/dev-work/out", "toy-device",
                        f"{tmp}/finish"], cwd=REPO, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    with open(f"{tmp}/models/toy-device/model.json") as f:
        meta = json.load(f)
    assert os.path.getsize(f"{tmp}/finish/best.pt") == sum(
        os.path.getsize(f"{tmp}/dev-work/out/{p}") for p in pieces if p.startswith("best-model.pt."))
    assert os.path.exists(f"{tmp}/models/toy-device/model.onnx") and "real-dev" in meta["training"]["eval"], meta["training"]
    print("device-finish.sh joins, exports (parity checked) and evaluates: OK")


def check_frame_shift(tmp):
    """--shift-aug: a shifted utterance is its raw frames stacked from the drawn phase, behind `pad` copies of its
    first step; the draw is deterministic in the batch's rng."""
    import random
    import numpy as np
    from dataset import Dump, FrameShift, collate, load_items
    d = Dump(f"{tmp}/real")
    items, _ = load_items(d)
    batch = items[:6]
    mean, std = np.zeros(3 * d.dim, np.float32), np.ones(3 * d.dim, np.float32)
    shift = FrameShift(16)
    x1 = collate(batch, mean, std, 16, 8, None, random.Random(5), shift)[0]
    x2 = collate(batch, mean, std, 16, 8, None, random.Random(5), shift)[0]
    assert np.array_equal(x1, x2)
    rng = random.Random(5)
    draws = [shift(it, rng) for it in batch]
    assert len({p for p, _ in draws}) > 1 or len({k for _, k in draws}) > 1, draws
    for b, (it, (phase, pad)) in enumerate(zip(batch, draws)):
        raw = d.frames(d.utts[it.idx], int(d.utts[it.idx]["frames"]))
        n = (len(raw) - phase) // 3
        want = raw[phase:phase + 3 * n].reshape(n, 3 * d.dim)
        assert np.array_equal(x1[b, :pad], np.repeat(want[:1], pad, axis=0)), b
        assert np.array_equal(x1[b, pad:pad + n], want), b
        assert not x1[b, pad + n:].any(), b
    print("frame shift (stacking phase, chunk offset): OK")


def check_silence_cut():
    """--onset-cut / --offset-cut: cut the steps before the first loud one / after the last loud one (less 0-2),
    never below one step per label, never with prob 0; the training loop (main) runs with both."""
    import random
    import numpy as np
    from dataset import SilenceCut
    f = np.zeros((40, 6), np.float32)
    f[:, 0] = 100.0        # silence
    f[12:30, 0] = 400.0    # speech from step 12 to step 29
    lead, trail = set(), set()
    for seed in range(30):
        g, cut = SilenceCut(1.0, "lead")(f, 5, random.Random(seed))
        assert cut and 10 <= 40 - len(g) <= 12 and np.array_equal(g, f[40 - len(g):]), (seed, len(g))
        lead.add(40 - len(g))
        g, cut = SilenceCut(1.0, "trail")(f, 5, random.Random(seed))
        assert cut and 8 <= 40 - len(g) <= 10 and np.array_equal(g, f[:len(g)]), (seed, len(g))
        trail.add(40 - len(g))
    assert lead == {10, 11, 12} and trail == {8, 9, 10}, (lead, trail)
    for side in ("lead", "trail"):
        g, cut = SilenceCut(1.0, side)(f, 35, random.Random(1))  # too few steps left for 35 labels: untouched
        assert not cut and g is f
        g, cut = SilenceCut(0.0, side)(f, 5, random.Random(1))
        assert not cut and g is f
        loud = f.copy()
        loud[:, 0] = 400.0     # speech from the first step to the last: nothing to cut
        assert not SilenceCut(1.0, side)(loud, 5, random.Random(1))[1]
    print("silence cut (onset, offset): OK")


def check_speaker_perturbation():
    """prepare.py's real-vtp / synth-vtp copies: shift_voice moves f0 by its cents at the same length and tempo
    changes the length only; perturb_speaker is deterministic given its RNG."""
    import numpy as np
    sys.path.insert(0, os.path.join(TRAINING, "local"))
    import prepare
    tmp = tempfile.mkdtemp(prefix="hearken-vtp-")
    try:
        t = np.arange(2 * prepare.SR) / prepare.SR
        x = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 8)).astype(np.float32) * 0.2
        src = os.path.join(tmp, "src.wav")
        prepare.write_wav(src, x)

        def f0(path):
            y = prepare.read_wav(path)[4000:20000]
            ac = np.correlate(y, y, "full")[len(y) - 1:]
            lo, hi = prepare.SR // 400, prepare.SR // 60
            return prepare.SR / (lo + int(np.argmax(ac[lo:hi])))
        for cents, tempo in ((300, 1.0), (-300, 1.0), (0, 0.8)):
            dst = os.path.join(tmp, "v.wav")
            prepare.shift_voice(src, dst, cents, tempo)
            ratio = f0(dst) / f0(src)
            assert abs(ratio / 2 ** (cents / 1200) - 1) < 0.03, (cents, ratio)
            n = prepare.wav_seconds(dst)
            assert abs(n - 2.0 / tempo) < 0.02, (tempo, n)
        outs = []
        for k in range(2):
            dst = os.path.join(tmp, "p%d.wav" % k)
            outs.append(prepare.perturb_speaker(src, dst, prepare.rng_for(7, "vtp", "x")))
        assert outs[0] == outs[1] and outs[0].startswith("pitch"), outs
        assert open(os.path.join(tmp, "p0.wav"), "rb").read() == open(os.path.join(tmp, "p1.wav"), "rb").read()
        print("speaker perturbation (pitch, tempo, deterministic): OK", outs[0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_vocal_tract_warp():
    """--vtlp: factor 1 is the identity; a factor above 1 moves a spectral peak up the mel bands and one below 1
    moves it down (the MFCCs mapped back through the DCT's pseudo-inverse); the same RNG draws the same warp."""
    import random
    import numpy as np
    from dataset import VocalTractWarp
    from export import DEFAULT_FEATURE_CONFIG
    w = VocalTractWarp(DEFAULT_FEATURE_CONFIG, 0.1)
    assert np.abs(w.matrix(1.0) - np.eye(30)).max() < 1e-9
    bands = np.exp(-0.5 * ((np.arange(40) - 15) / 1.5) ** 2) * 8  # one "formant" at band 15
    c = w.dct @ bands

    def peak(alpha):
        return int(np.argmax(w.inverse @ (w.matrix(alpha) @ c)))
    assert peak(1.0) == 15 and peak(1.1) > 15 and peak(0.9) < 15, (peak(0.9), peak(1.0), peak(1.1))
    f = np.random.RandomState(0).randn(50, 90).astype(np.float32)
    a, b = w(f, random.Random(3)), w(f, random.Random(3))
    assert a.shape == f.shape and a.dtype == np.float32 and np.array_equal(a, b)
    assert not np.allclose(w(f, random.Random(4)), f) or not np.allclose(w(f, random.Random(5)), f)
    print("vocal tract length perturbation (identity at 1, peak moves with the factor, deterministic): OK")


def check_weight_average():
    from ema import WeightAverage
    torch.manual_seed(0)
    m = torch.nn.Linear(4, 3)
    start = [p.detach().clone() for p in m.parameters()]
    avg = WeightAverage(m, 0.5)
    with torch.no_grad():
        for p in m.parameters():
            p.add_(1.0)
    avg.update(m)  # ramped decay on the first update: 1/10
    for p, s0, s in zip(m.parameters(), start, avg.shadow):
        assert torch.allclose(s, 0.1 * s0 + 0.9 * p.detach()), "EMA update"
    raw = [p.detach().clone() for p in m.parameters()]
    with avg.applied(m):
        assert all(torch.equal(p, s) for p, s in zip(m.parameters(), avg.shadow))
    assert all(torch.equal(p, r) for p, r in zip(m.parameters(), raw)), "EMA weights not swapped back"
    print("weight average update + swap in/out: OK")


def check_best_rule():
    from train_eval import better
    best = (0.8152, 0.3418)
    assert better((0.8129, 0.3501), best), "best.pt follows WER first"
    assert better((0.8152, 0.3400), best) and not better(best, best) and better((0.9, 0.9), None)
    print("best.pt rule (WER, then CER): OK")


def check_accept_same(tmp):
    """accept-model.sh leaves everything alone when the candidate is the shipped model (the full comparison decodes
    the dev sets with the LM and takes minutes)."""
    name = json.load(open(os.path.join(REPO, "models", "default.json")))["acousticModel"]
    candidate = os.path.join(tmp, "accept", "candidate")
    shutil.copytree(os.path.join(REPO, "models", name), candidate)
    # a lock of its own, so that a real verdict running beside the selftest neither waits for it nor delays it
    lock = os.path.join(tmp, "accept", "model.lock")
    env = dict(os.environ, ACCEPT_LOCK=lock)
    accept = ["bash", os.path.join(TRAINING, "accept-model.sh"), candidate, name]
    out = subprocess.run(accept, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "the candidate is the shipped model" in out.stdout, out
    print("accept-model.sh with the shipped model as candidate: OK")

    # one verdict at a time: while another holds the model's lock, a second verdict waits, then goes on
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = subprocess.Popen(accept, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        time.sleep(3)
        assert waiting.poll() is None, "accept-model.sh did not wait for the verdict that holds the lock"
        fcntl.flock(held, fcntl.LOCK_UN)
    out = waiting.communicate(timeout=60)[0]
    assert waiting.returncode == 0 and "waiting for another verdict" in out and "is the shipped model" in out, out
    print("accept-model.sh waits for another verdict on the same model: OK")


def check_accept_rule(tmp):
    """accept-rule.mjs: a mean gain of at least MIN_GAIN with no set more than MAX_SET_LOSS worse, else refused."""
    sets = ["w/data/real-dev/manifest.tsv", "w/data/synth-dev/manifest.tsv"]

    def verdict(shipped, candidate):
        paths = []
        for tag, wers in (("shipped", shipped), ("candidate", candidate)):
            path = os.path.join(tmp, f"rule-{tag}.json")
            with open(path, "w") as f:
                json.dump({"decoder": {"devWer": dict(zip(sets, wers))}}, f)
            paths.append(path)
        r = subprocess.run(["node", os.path.join(TRAINING, "decoder", "accept-rule.mjs"), *paths, "0.001", "0.01"], cwd=REPO,
                           capture_output=True, text=True)
        return r.returncode

    assert verdict([0.37, 0.34], [0.365, 0.338]) == 0, "a gain everywhere"
    assert verdict([0.37, 0.34], [0.3695, 0.3399]) == 1, "a gain under the margin"
    assert verdict([0.37, 0.34], [0.385, 0.30]) == 1, "a big mean gain, but one set 1.5 points worse"
    assert verdict([0.37, 0.34], [0.379, 0.32]) == 0, "0.9 points worse on one set is allowed"
    with open(os.path.join(tmp, "rule-empty.json"), "w") as f:
        json.dump({"decoder": {}}, f)
    r = subprocess.run(["node", os.path.join(TRAINING, "decoder", "accept-rule.mjs"), os.path.join(tmp, "rule-shipped.json"),
                        os.path.join(tmp, "rule-empty.json"), "0.001", "0.01"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and "no decoder.devWer" in r.stderr, r.stderr
    print("accept rule (mean margin, per-set limit, unreadable input refused): OK")


def check_average(tmp, md, other):
    """average.py: the soup of two fine-tunes of one base is the mean of their (float16-rounded) weights, exported
    with parity; a model that was not warm-started from the base is refused."""
    def copy_with(src, dst, **training):  # a model folder whose card says it was trained so
        shutil.copytree(src, dst)
        meta = json.load(open(f"{dst}/model.json"))
        meta["training"].update(training)
        json.dump(meta, open(f"{dst}/model.json", "w"))
        return dst

    start = {"warmStart": f"{md}/model.onnx", "warmStartSha256": file_sha256(f"{md}/model.onnx")}
    cands = [copy_with(src, f"{tmp}/soup-in-{i}", **start) for i, src in enumerate((md, other))]
    soup = f"{tmp}/soup"
    run(PY, os.path.join(HERE, "average.py"), "--base", md, "--out", soup, "--ref-dump", f"{tmp}/dev", "--verify", *cands)
    a, b, s = (load_from_onnx(f"{d}/model.onnx") for d in (*cands, soup))
    with torch.no_grad():
        for p, q in zip(a.parameters(), b.parameters()):
            p.copy_((p + q) / 2)
    ref = round_weights(a, "float16")
    d = max((p - q).abs().max().item() for p, q in zip(ref.parameters(), s.parameters()))
    assert d == 0.0, d
    assert json.load(open(f"{soup}/model.json"))["training"]["weights"] == "average"
    # the card names what was exported: an average, not raw or moving-average weights
    ev = f"{tmp}/soup-eval.json"
    json.dump({soup: {"dev": {"cer": 0.5, "wer": 0.9, "utterances": 1, "words": 2}}}, open(ev, "w"))
    run(PY, os.path.join(HERE, "export.py"), "--record-eval", soup, "--eval-json", ev)
    assert "Exported weights: the uniform average" in open(f"{soup}/README.md").read()
    # same architecture, fine-tuned from other weights
    stranger = copy_with(cands[1], f"{tmp}/soup-stranger", warmStartSha256="0" * 64)
    for other in (md, stranger):
        r = subprocess.run([PY, os.path.join(HERE, "average.py"), "--base", md, "--out", f"{tmp}/soup-bad", cands[0],
                            other], cwd=REPO, capture_output=True, text=True)
        assert r.returncode != 0 and "not fine-tuned from" in r.stderr, r.stderr[-500:]
    print("average.py: the mean of two fine-tunes; a model from other weights refused: OK")


def check_anchor(tmp, md):
    """--anchor: at lr x ANCHOR >= 1 every update ends back on the start weights; a moderate one keeps the weights
    nearer the start than the same run without it."""
    start = load_from_onnx(f"{md}/model.onnx")
    base = [PY, os.path.join(HERE, "train.py"), "--train", f"real={tmp}/real", "--dev", f"real-dev={tmp}/dev",
            "--init-onnx", f"{md}/model.onnx", "--log-every", "5", "--warmup", "1", "--lr", "1e-3", "--minutes", "60",
            "--eval-every", "100", "--seed", "3", "--max-updates", "10", "--ranks", "1"]

    def distance(anchor):
        wd = f"{tmp}/anchor-{anchor}"
        run(*base, "--workdir", wd, "--anchor", str(anchor))
        ck = torch.load(f"{wd}/last.pt", map_location="cpu")
        assert ck["training_summary"]["warmStartSha256"] == file_sha256(f"{md}/model.onnx")  # what average.py checks
        m = LCRNN(**ck["model_config"])
        m.load_state_dict(ck["model"])
        return max((p - q).abs().max().item() for p, q in zip(m.parameters(), start.parameters()))

    assert distance(1e9) == 0.0
    free, held = distance(0), distance(300)
    assert 0 < held < free, (held, free)
    print(f"anchor: pinned at lr x anchor >= 1, max |moved| {held:.2e} at 300 vs {free:.2e} free: OK")


def check_schedule(tmp, md):
    """--schedule-minutes: the decay spans the named minutes, not this call's budget (a plan split over calls), and
    a plan already trained past is refused."""
    wd = f"{tmp}/schedule"
    base = [PY, os.path.join(HERE, "train.py"), "--workdir", wd, "--train", f"real={tmp}/real", "--dev",
            f"real-dev={tmp}/dev", "--init-onnx", f"{md}/model.onnx", "--log-every", "5", "--warmup", "1", "--lr",
            "1e-3", "--decay-start", "0", "--final-lr", "0.05", "--minutes", "5", "--eval-every", "100", "--ranks", "1"]
    out = run(*base, "--schedule-minutes", "0.005", "--max-updates", "60")
    lrs = [float(v) for v in re.findall(r" lr ([0-9.e+-]+) ", out)]
    assert lrs and lrs[-1] == 5e-5, lrs  # 0.3 s of a 5-minute budget: on its own it would still be near the peak
    r = subprocess.run(base + ["--schedule-minutes", "0.005", "--max-updates", "70"], cwd=REPO, capture_output=True,
                       text=True)
    assert r.returncode != 0 and "is not beyond" in r.stdout + r.stderr, (r.stdout + r.stderr)[-2000:]
    print(f"--schedule-minutes: lr {lrs[0]:.2e} -> {lrs[-1]:.2e} within the plan, a plan trained past refused: OK")


def check_cmn(tmp, md):
    """Sliding-window CMN: causal (a prefix normalises to the prefix of the whole), removes a constant offset down to
    the prior's share; a warm start with --cmn-window records it in model.json, and the export's ONNX parity and
    evaluate.py run through it."""
    from cmn import normalise_frames
    rng = np.random.default_rng(5)
    x = rng.normal(size=(900, 30)).astype(np.float32) * 4
    cfg = {"window": 300, "priorFrames": 100, "priorMean": [0.0] * 30}
    y = normalise_frames(x, cfg)
    assert np.array_equal(normalise_frames(x[:417], cfg), y[:417])
    d = normalise_frames(x + 6, cfg) - y
    assert np.allclose(d[300:], 6 * 100 / 400, atol=1e-4), d[300:].min()
    wd = f"{tmp}/cmn-work"
    run(PY, os.path.join(HERE, "train.py"), "--workdir", wd, "--train", f"real={tmp}/real", "--dev", f"real-dev={tmp}/dev",
        "--init-onnx", f"{md}/model.onnx", "--cmn-window", "300", "--cmn-prior", "100", "--max-updates", "20",
        "--eval-every", "100", "--log-every", "10", "--minutes", "60")
    out_dir = f"{tmp}/cmn-model"
    run(PY, os.path.join(HERE, "export.py"), "--checkpoint", f"{wd}/last.pt", "--out", out_dir,
        "--ref-dump", f"{tmp}/dev", "--verify")
    cmn = json.load(open(f"{out_dir}/model.json"))["cmn"]
    assert cmn["window"] == 300 and cmn["priorFrames"] == 100 and len(cmn["priorMean"]) == 30, cmn
    assert load_from_onnx(f"{out_dir}/model.onnx").cmn == cmn
    out = run(PY, os.path.join(HERE, "evaluate.py"), "--model", out_dir, "--dev", f"real-dev={tmp}/dev")
    assert "real-dev" in out, out
    print("sliding-window CMN: causal, offset removed, carried by warm start, export and evaluate: OK")


def losses(log):
    return [float(v) for v in re.findall(r"loss/char ([0-9.]+)", log)]


def check_checkpoint_choice():
    """best.pt: WER decides, CER breaks ties, and CER decides while both WERs are at or above 100 %."""
    from train_eval import better
    assert better((1.02, 0.55), (1.0, 0.88)) and not better((1.0, 0.88), (1.02, 0.55))
    assert better((0.9, 0.5), (1.0, 0.3)) and not better((0.6, 0.2), (0.5, 0.3)) and better((0.5, 0.3), None)
    print("checkpoint choice: OK")


def main():
    check_checkpoint_choice()
    check_streaming_equivalence()
    check_silence_cut()
    check_speaker_perturbation()
    check_vocal_tract_warp()
    check_weight_average()
    check_best_rule()
    tmp = tempfile.mkdtemp(prefix="hearken-selftest-")
    try:
        toy = os.path.join(HERE, "toy_dump.py")
        for name, seed, n in (("real", 1, 400), ("synth", 2, 400), ("dev", 3, 60)):
            run(PY, toy, "--out", f"{tmp}/{name}", "--seed", str(seed), "--utts", str(n))
        wd = f"{tmp}/work"
        common = [PY, os.path.join(HERE, "train.py"), "--workdir", wd, "--train", f"real={tmp}/real",
                  "--train", f"synth={tmp}/synth", "--dev", f"real-dev={tmp}/dev", "--layers", "2", "--hidden", "64",
                  "--log-every", "10", "--warmup", "30", "--minutes", "60", "--eval-every", "100", "--ema", "0.95",
                  "--shift-aug", "--onset-cut", "0.3", "--offset-cut", "0.3", "--vtlp", "0.1"]
        out = run(*common, "--max-updates", "120")
        ls = losses(out)
        assert len(ls) >= 10 and ls[-1] < 0.5 * ls[0], ls
        print(f"loss/char {ls[0]:.2f} -> {ls[-1]:.2f}: OK")
        assert "updates (EMA): real-dev" in out, out[-2000:]
        out = run(*common, "--max-updates", "140")
        assert "resumed from" in out and "upd 130" in out, out[-2000:]
        ema = torch.load(f"{wd}/last.pt", map_location="cpu")["ema"]
        assert ema is not None and ema["updates"] > 120, ema and ema["updates"]
        print("resume (with the weight average): OK")
        md = f"{tmp}/model"
        out = run(PY, os.path.join(HERE, "export.py"), "--checkpoint", f"{wd}/last.pt", "--out", md,
                  "--ref-dump", f"{tmp}/dev", "--verify", "--features-golden")
        golden = json.load(open(f"{md}/features-golden.json"))  # what test/features/golden.test.ts checks
        assert "OK" in out and golden["featureConfig"] == json.load(open(f"{md}/model.json"))["featureConfig"], golden
        print("export + onnxruntime-node parity + features golden: OK")
        ck = torch.load(f"{wd}/last.pt", map_location="cpu")
        a = LCRNN(**ck["model_config"])
        a.load_state_dict(ck["model"])
        b = load_from_onnx(f"{md}/model.onnx")
        x = torch.randn(2, 16 * 5 + 8, 90) * 2 + 5
        with torch.no_grad():
            d = (round_weights(a, "float16").eval()(x) - b.eval()(x)).abs().max().item()
        assert d == 0.0, d
        assert {t.data_type for t in onnx.load(f"{md}/model.onnx").graph.initializer if t.name.startswith(("l", "out.")) and t.name.endswith((".W", ".R"))} \
            == {onnx.TensorProto.FLOAT16}
        print("warm start from ONNX (float16 weight matrices) reproduces the rounded checkpoint exactly: OK")
        run(PY, os.path.join(HERE, "export.py"), "--checkpoint", f"{wd}/last.pt", "--ema", "--out", f"{tmp}/ema-model",
            "--ref-dump", f"{tmp}/dev", "--verify")
        for p, shadow in zip(a.parameters(), ck["ema"]["shadow"]):
            with torch.no_grad():
                p.copy_(shadow)
        c = load_from_onnx(f"{tmp}/ema-model/model.onnx")
        with torch.no_grad():
            d = (round_weights(a, "float16").eval()(x) - c.eval()(x)).abs().max().item()
        assert d == 0.0, d
        assert json.load(open(f"{tmp}/ema-model/model.json"))["training"]["weights"] == "ema"
        print("export --ema writes the checkpoint's moving average: OK")
        check_average(tmp, md, f"{tmp}/ema-model")
        check_anchor(tmp, md)
        check_schedule(tmp, md)
        check_cmn(tmp, md)
        out = run(PY, os.path.join(HERE, "evaluate.py"), "--model", md, "--model", f"{wd}/best.pt",
                  "--dev", f"real-dev={tmp}/dev")
        print(out.strip())
        out = run(*common, "--max-updates", "150", "--eval-at-start", "--select", "real-dev", "--dev-phases", "3")
        assert "resumed model: real-dev WER" in out, out[-2000:]
        print("a resumed run measures itself at the start (--dev-phases 3): OK")
        check_frame_shift(tmp)
        check_packs(tmp)
        check_accept_same(tmp)
        check_accept_rule(tmp)
        print("ALL OK")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
