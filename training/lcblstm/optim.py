"""The optimiser side of train.py: the learning-rate schedule, Adam, gradient clipping, the pull back toward the
start weights (--anchor) and the moving average of the weights (--ema), one update at a time."""
import torch

from ema import WeightAverage


def lr_at(args, updates, frac):
    """Peak --lr after a linear --warmup (in updates), flat until --decay-start of the time budget (`frac` is the
    share of it trained so far), then exponential decay down to --final-lr x peak at the end."""
    w = min(1.0, (updates + 1) / max(1, args.warmup))
    if frac <= args.decay_start:
        d = 1.0
    else:
        p = min(1.0, (frac - args.decay_start) / max(1e-9, 1 - args.decay_start))
        d = args.final_lr ** p
    return args.lr * w * d


class Updater:
    """Applies one batch's loss to the weights.  Built once the model holds its starting weights: --anchor pulls
    toward the weights this invocation started from, and the moving average starts from them too."""

    def __init__(self, model, args):
        self.model, self.args = model, args
        self.opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        self.ema = WeightAverage(model, args.ema) if args.ema else None
        self.anchor = [p.detach().clone() for p in model.parameters()] if args.anchor > 0 else None

    def resume(self, ck, device):
        """The optimiser state (and the moving average, when there is one) of a checkpoint made on any device."""
        if self.ema is not None and ck.get("ema") is not None:
            self.ema.load_state_dict(ck["ema"])
        self.opt.load_state_dict(ck["optimizer"])
        for st in self.opt.state.values():  # a checkpoint is loaded on the CPU
            for k, v in st.items():
                if torch.is_tensor(v) and k != "step":
                    st[k] = v.to(device)

    def set_lr(self, lr):
        for g in self.opt.param_groups:
            g["lr"] = lr

    def step(self, loss, lr):
        """Backpropagates `loss`, clips the gradient norm to --clip and, when the norm is finite, takes the Adam
        step, the anchor's pull (lr x ANCHOR of the gap, at most all of it) and the moving average's update.
        Returns the norm before clipping."""
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.args.clip)
        if torch.isfinite(gn):
            self.opt.step()
            if self.anchor is not None:
                k = min(1.0, lr * self.args.anchor)
                with torch.no_grad():
                    for p, a in zip(self.model.parameters(), self.anchor):
                        p.mul_(1.0 - k).add_(a, alpha=k)
            if self.ema is not None:
                self.ema.update(self.model)
        return gn
