"""Latency-controlled (B)LSTM/GRU acoustic model with the exact chunk semantics of docs/model-format.md.

Window k covers steps [kC, kC + C + R).  Per layer:
  * forward direction: runs over the C chunk steps of window k starting from the state carried from window
    k-1 (zero for k = 0), then over the R look-ahead steps starting from that carried-on state;
  * backward direction: runs over all C + R steps of the window from a zero state;
  * the next layer's input over the whole window is this layer's output computed within that window.
Only the C chunk steps of the last layer are emitted (2H -> V, log-softmax).
A unidirectional model has no backward direction; with R > 0 (R <= C) its forward direction runs over the
look-ahead too, in every layer, and window k emits the last layer's outputs at steps [kC + R, kC + C + R): each
step's output has seen R steps of future input, an output delay of R steps (R = 0: no delay).

Training formulation (efficient on CPU):
  * the representation is kept per window: [B, K, C+R, D];
  * forward chunk steps: a loop over the K chunks of nn.LSTM calls on [B, C, D] carrying (h, c);
  * forward look-ahead: one call on [B*K, R, D] starting from the per-chunk carried states;
  * backward: one call on [B*K, C+R, D] (time-reversed, zero state);
  * the last layer needs only the chunk steps.
`forward_window` is the streaming (one window at a time) version used for export/reference; the tests check that
both give identical outputs.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = ["<blank>", " "] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + ["'"]
BLANK = 0
CHAR_TO_ID = {c: i for i, c in enumerate(VOCAB) if i != BLANK}


def encode(text):
    """Transcript (lowercase a-z, apostrophe, space) -> label ids; unknown characters are dropped."""
    text = " ".join(text.split())
    return [CHAR_TO_ID[c] for c in text if c in CHAR_TO_ID]


def decode_greedy(ids):
    """Best-path CTC decoding of a sequence of argmax ids."""
    out, prev = [], None
    for i in ids:
        if i != prev and i != BLANK:
            out.append(VOCAB[i])
        prev = i
    return " ".join("".join(out).split())


class LCRNN(nn.Module):
    def __init__(self, input_dim=90, layers=3, hidden=256, cell="lstm", bidirectional=True,
                 chunk=16, lookahead=8, vocab=len(VOCAB), dropout=0.0, cmn=None):
        super().__init__()
        assert cell in ("lstm", "gru")
        assert chunk >= 1 and lookahead >= 0
        assert bidirectional or lookahead <= chunk, "a unidirectional model's output delay is at most one chunk"
        self.input_dim, self.layers, self.hidden = input_dim, layers, hidden
        self.cell, self.bidirectional = cell, bidirectional
        self.chunk, self.lookahead, self.vocab = chunk, lookahead, vocab
        # between layers, training only: identity in eval mode, so export and streaming are unaffected
        self.dropout = float(dropout)
        # sliding-window cepstral mean normalisation of the input frames (training/lcblstm/cmn.py), or None; it runs on the
        # raw frames before stacking, outside the graph, like the feature front end
        self.cmn = cmn
        self.drop = nn.Dropout(self.dropout)
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        self.fwd = nn.ModuleList()
        self.bwd = nn.ModuleList()
        d = input_dim
        for _ in range(layers):
            self.fwd.append(rnn(d, hidden, batch_first=True))
            if bidirectional:
                self.bwd.append(rnn(d, hidden, batch_first=True))
            d = hidden * (2 if bidirectional else 1)
        self.out = nn.Linear(d, vocab)
        self.register_buffer("mean", torch.zeros(input_dim))
        self.register_buffer("std", torch.ones(input_dim))

    def config(self):
        return dict(input_dim=self.input_dim, layers=self.layers, hidden=self.hidden, cell=self.cell,
                    bidirectional=self.bidirectional, chunk=self.chunk, lookahead=self.lookahead,
                    vocab=self.vocab, dropout=self.dropout, cmn=self.cmn)

    @property
    def emit_offset(self):
        """Window step at which the emitted C steps begin: the output delay of a unidirectional model."""
        return 0 if self.bidirectional else self.lookahead

    @property
    def is_lstm(self):
        return self.cell == "lstm"

    def set_normalization(self, mean, std):
        self.mean.copy_(torch.as_tensor(mean, dtype=torch.float32))
        self.std.copy_(torch.as_tensor(std, dtype=torch.float32))

    # ------------------------------------------------------------------ training / batch formulation
    def padded_steps(self, steps):
        """Number of emitted steps (multiple of C) for an utterance of `steps` 30 ms steps."""
        return max(1, math.ceil(steps / self.chunk)) * self.chunk

    def forward(self, x, normalized=False):
        """x: [B, K*C + R, D] raw stacked features (padding must be the mean vector, or zeros if
        normalized=True).  Returns log-probs [B, K*C, V]."""
        C, R, H = self.chunk, self.lookahead, self.hidden
        B, T, _ = x.shape
        K = (T - R) // C
        assert K >= 1 and K * C + R == T, (T, C, R)
        if not normalized:
            x = (x - self.mean) / self.std
        W = C + R
        # windows [B, K, W, D]
        win = x.unfold(1, W, C).permute(0, 1, 3, 2) if R > 0 else x.reshape(B, K, C, -1)
        for li in range(self.layers):
            if li > 0 and self.dropout > 0:
                win = self.drop(win)
            last = li == self.layers - 1
            # the forward direction's look-ahead steps feed the next layer (and, unidirectional, the delayed output)
            need_la = R > 0 and (not last or not self.bidirectional)
            D = win.shape[-1]
            chunk_in = win[:, :, :C]  # [B, K, C, D]
            fwd = self.fwd[li]
            if not need_la:
                # no per-chunk states needed: the chunk steps form one contiguous sequence
                f_win, _ = fwd(chunk_in.reshape(B, K * C, D))
                f_win = f_win.reshape(B, K, C, H)
            else:
                state = None
                f_outs, hs, cs = [], [], []
                for k in range(K):
                    o, state = fwd(chunk_in[:, k], state)
                    f_outs.append(o)
                    if self.is_lstm:
                        hs.append(state[0])
                        cs.append(state[1])
                    else:
                        hs.append(state)
                f_chunk = torch.stack(f_outs, 1)  # [B, K, C, H]
                la_in = win[:, :, C:].reshape(B * K, R, D)
                h = torch.stack(hs, 2).reshape(1, B * K, H)  # state after chunk k (batch-major, then k)
                if self.is_lstm:
                    c = torch.stack(cs, 2).reshape(1, B * K, H)
                    la, _ = fwd(la_in, (h, c))
                else:
                    la, _ = fwd(la_in, h)
                f_win = torch.cat([f_chunk, la.reshape(B, K, R, H)], 2)
            if self.bidirectional:
                b, _ = self.bwd[li](torch.flip(win.reshape(B * K, W, D), [1]))
                b = torch.flip(b, [1]).reshape(B, K, W, H)
                if not need_la:
                    b = b[:, :, :C]
                win = torch.cat([f_win, b], -1)
            else:
                win = f_win
        if self.emit_offset:  # unidirectional with delay: [B, K, C+R, H] -> the C steps from R on
            win = win[:, :, R:R + C]
        # win: [B, K, C, Hout]
        y = self.out(win.reshape(B, K * C, -1))
        return F.log_softmax(y, -1)

    # ------------------------------------------------------------------ streaming / one window
    def zero_state(self, batch):
        h = torch.zeros(self.layers, batch, self.hidden)
        return (h, torch.zeros_like(h)) if self.is_lstm else (h,)

    def forward_window(self, feats, state):
        """feats: [B, C+R, D] raw stacked features; state: (h0, c0) or (h0,) each [L, B, H].
        Returns (log_probs [B, C, V], new_state).  Mirrors the ONNX graph exactly."""
        C, R = self.chunk, self.lookahead
        x = (feats - self.mean) / self.std
        hn, cn = [], []
        for li in range(self.layers):
            last = li == self.layers - 1
            fwd = self.fwd[li]
            st = (state[0][li:li + 1].contiguous(), state[1][li:li + 1].contiguous()) if self.is_lstm \
                else state[0][li:li + 1].contiguous()
            f, st = fwd(x[:, :C], st)
            if self.is_lstm:
                hn.append(st[0]); cn.append(st[1])
            else:
                hn.append(st)
            if R > 0 and (not last or not self.bidirectional):
                la, _ = fwd(x[:, C:], st)
                f = torch.cat([f, la], 1)
            if self.bidirectional:
                b, _ = self.bwd[li](torch.flip(x, [1]))
                b = torch.flip(b, [1])
                if last or R == 0:
                    b = b[:, :C]
                x = torch.cat([f, b], -1)
            else:
                x = f
        e = self.emit_offset
        y = F.log_softmax(self.out(x[:, e:e + C]), -1)
        new_state = (torch.cat(hn, 0), torch.cat(cn, 0)) if self.is_lstm else (torch.cat(hn, 0),)
        return y, new_state


def pad_to_windows(feats, chunk, lookahead, mean):
    """feats: [T, D] numpy/tensor raw stacked features -> tensor [K*C + R, D] padded with the mean vector."""
    feats = torch.tensor(feats, dtype=torch.float32)
    T = feats.shape[0]
    K = max(1, math.ceil(T / chunk))
    total = K * chunk + lookahead
    out = torch.as_tensor(mean, dtype=torch.float32).expand(total, feats.shape[1]).clone()
    out[:T] = feats
    return out
