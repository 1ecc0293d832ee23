"""Exponential moving average of a model's weights (Polyak averaging).

With the small batches and high learning rate that make CTC converge on little compute, the weights at any
one update are noisy: dev WER moves by 1-2 points between evaluations 5 minutes apart.  An average over the
last few hundred updates sits nearer the middle of that noise and usually decodes better, at the cost of
one extra copy of the weights and one extra dev evaluation.
"""
from contextlib import contextmanager

import torch


class WeightAverage:
    def __init__(self, model, decay):
        if not 0.0 < decay < 1.0:
            raise ValueError(f"EMA decay must be in (0, 1), got {decay}")
        self.decay = decay
        self.updates = 0
        self.shadow = [p.detach().clone() for p in model.parameters()]

    def update(self, model):
        # early on the average would be dominated by the start weights; ramp the decay up as updates accrue
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        params = [p.detach() for p in model.parameters()]
        with torch.no_grad():
            torch._foreach_mul_(self.shadow, d)
            torch._foreach_add_(self.shadow, params, alpha=1.0 - d)
        self.updates += 1

    @contextmanager
    def applied(self, model):
        """Temporarily puts the averaged weights into `model` (for evaluation, checkpointing, export)."""
        params = list(model.parameters())
        saved = [p.detach().clone() for p in params]
        with torch.no_grad():
            for p, s in zip(params, self.shadow):
                p.copy_(s)
        try:
            yield model
        finally:
            with torch.no_grad():
                for p, s in zip(params, saved):
                    p.copy_(s)

    def state_dict(self):
        return {"decay": self.decay, "updates": self.updates, "shadow": [s.cpu() for s in self.shadow]}

    def load_state_dict(self, st):
        if len(st["shadow"]) != len(self.shadow):
            raise ValueError("EMA state does not match the model")
        self.updates = int(st["updates"])
        for s, v in zip(self.shadow, st["shadow"]):
            s.copy_(v.to(s.device))
