"""The periodic dev evaluation of train.py: greedy CER/WER on the dev sets (split over the ranks), the raw weights and,
with --ema, their moving average; the history, and WORKDIR/best.pt kept by the --select set's WER (tie: CER)."""
import contextlib
import time

import torch

from evaluate import eval_items, rates


def evaluate_all(model, devs, rank, world, max_utts, device="cpu", phases=1):
    import torch.distributed as dist
    out = {}
    for name, items in devs.items():
        sub = items[:max_utts] if max_utts else items
        counts, _ = eval_items(model, sub, rank=rank, world=world, device=device, phases=phases)
        t = torch.tensor(counts, dtype=torch.float64)
        if world > 1:
            dist.all_reduce(t)
        out[name] = rates(t.numpy(), phases)
    model.train()
    return out


def better(a, b):
    """a, b: (wer, cer) tuples or None.  WER decides, then CER; but where both WERs are at or above 100 % (early in
    a run from scratch) WER says nothing, and a checkpoint that emits nothing (exactly 100 %) would beat every one
    that has begun to spell words: CER decides there."""
    if b is None:
        return True
    if a[0] >= 1.0 and b[0] >= 1.0:
        return (a[1], a[0]) < (b[1], b[0])
    return (a[0], a[1]) < (b[0], b[1])


class DevEvaluation:
    """Evaluations during training.  `state` is the run's state dict (shared with the loop: minutes and updates so
    far, "history", "best"); `checkpoint(path)` saves the run with whatever weights the model holds."""

    def __init__(self, model, ema, devs, select, args, rank, world, device, state, log, checkpoint, best_path):
        self.model, self.ema, self.devs, self.select, self.args = model, ema, devs, select, args
        self.rank, self.world, self.device = rank, world, device
        self.state, self.log, self.checkpoint, self.best_path = state, log, checkpoint, best_path

    def weights_in_model(self, weights):
        """A context in which the model holds the named weights: "raw" (as trained) or "ema" (their average)."""
        return self.ema.applied(self.model) if weights == "ema" else contextlib.nullcontext()

    def run(self, weights="raw"):
        """Every rank: one evaluation of the named weights; the history entry it makes."""
        t0 = time.time()
        args, state = self.args, self.state
        with self.weights_in_model(weights):
            res = evaluate_all(self.model, self.devs, self.rank, self.world, args.dev_max_utts, self.device,
                               args.dev_phases)
        entry = {"minutes": state["prior_minutes"] + state["trained_seconds"] / 60,
                 "updates": state["prior_updates"] + state["updates"],
                 "dev": res, "weights": weights, "phases": args.dev_phases}
        msg = "  ".join(f"{k}: CER {100 * v['cer']:.2f}% WER {100 * v['wer']:.2f}% ({v['utterances']})"
                        for k, v in res.items())
        self.log(f"eval @ {state['updates']} updates{' (EMA)' if weights == 'ema' else ''}: {msg}  "
                 f"[{time.time() - t0:.0f} s]")
        return entry

    def entries(self):
        """Every rank: the raw weights, and the averaged ones when --ema is on."""
        entries = [self.run()]
        if self.ema is not None and self.ema.updates > 0:
            entries.append(self.run("ema"))
        return entries

    def metric(self, entry):
        return entry["dev"][self.select]["wer"], entry["dev"][self.select]["cer"]

    def keep(self, entry):
        """With the entry's weights in the model: best.pt when it is the best so far."""
        m = self.metric(entry)
        if better(m, self.state["best"]):
            self.state["best"] = m
            self.checkpoint(self.best_path)
            self.log(f"new best {self.select}: WER {100 * m[0]:.2f}% CER {100 * m[1]:.2f}% ({entry['weights']} weights) "
                     f"-> {self.best_path}")

    def record(self, entries, initial=None):
        """rank 0 only: history and best checkpoint (raw or averaged weights, whichever is better).  `initial`:
        the evaluation before training ("start" or "resumed"), only logged."""
        if self.select is None or self.select not in entries[0]["dev"]:
            return
        if initial:
            m = self.metric(entries[0])
            self.log(f"{initial} model: {self.select} WER {100 * m[0]:.2f}% CER {100 * m[1]:.2f}%")
            return
        entry = min(entries, key=self.metric)  # raw first, so a tie keeps the raw weights
        self.state["history"].append(entry)
        with self.weights_in_model(entry["weights"]):
            self.keep(entry)
