"""CTC training of the LC-BLSTM acoustic model on `hearken features` dumps (2 CPU processes, DDP over gloo).

  /usr/bin/python3 training/lcblstm/train.py --workdir training/work/train \
      --train real=training/work/features/real-train --train real=training/work/features/real-aug \
      --train synth=training/work/features/synth-train \
      --dev real-dev=training/work/features/real-dev --dev synth-dev=training/work/features/synth-dev \
      --minutes 90 [--layers 3 --hidden 256 --chunk 16 --lookahead 8 --cell lstm|gru --unidirectional]

* Resumes from WORKDIR/last.pt when it exists (unless --fresh); the architecture then comes from the checkpoint.
  `--minutes N` is the wall-clock budget of this invocation; the LR schedule spans (time already trained + N),
  or `--schedule-minutes M` in all (a run planned over several calls).
* `--init-onnx models/<name>/model.onnx`: warm start from an exported model (weights and normalisation read from
  the ONNX initializers; architecture from the model.json next to it).
* Every --eval-every minutes: greedy CER/WER on the dev sets (split over the ranks); the best checkpoint by
  --select dev set WER (tie: CER) is WORKDIR/best.pt.  With --ema the moving average of the weights is evaluated
  too and the better of the two kept.  (Whether a run's weights replace the shipped model is decided afterwards,
  with the LM: continue.sh exports the average at the stop and training/accept-model.sh measures it.)
* Data mix: each --train is GROUP=DIR; per epoch group g contributes share_g of the epoch's audio (whole copies
  plus a random part; epoch size = total train audio unless --epoch-hours).  Shares come from --mix
  (e.g. real=0.6,synth=0.4); default = natural shares with group "real" lifted to >= 0.5.
"""
import argparse
import json
import os
import random
import signal
import socket
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cmn import make_config as make_cmn_config  # noqa: E402
from dataset import FrameShift, SilenceCut, SpecAugment, VocalTractWarp, collate, compute_stats, epoch_plan  # noqa: E402
from model import LCRNN  # noqa: E402
from optim import Updater, lr_at  # noqa: E402
from train_data import TrainData, load_dev_sets  # noqa: E402
from train_eval import DevEvaluation  # noqa: E402

STOP = False


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default="training/work/train")
    ap.add_argument("--train", action="append", default=[], help="GROUP=DUMPDIR (repeatable)")
    ap.add_argument("--dev", action="append", default=[], help="NAME=DUMPDIR (repeatable)")
    ap.add_argument("--select", help="dev set that selects the best checkpoint (default: first --dev)")
    ap.add_argument("--mix", help="group shares per epoch, e.g. real=0.6,synth=0.4")
    ap.add_argument("--real-min-share", type=float, default=0.5)
    ap.add_argument("--epoch-hours", type=float, help="audio per epoch (default: total train audio)")
    ap.add_argument("--minutes", type=float, default=60.0, help="budget of this invocation (see --clock)")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="what --minutes, the schedule and --eval-every/--save-every count: wall-clock time, or this "
                         "process's CPU time (with --ranks 1: equal budgets for runs that share a loaded machine)")
    ap.add_argument("--schedule-minutes", type=float,
                    help="minutes the LR schedule spans in all, time already trained included (default: that time + "
                         "--minutes); a run split over calls names the whole plan, so a resume goes on down the same "
                         "decay instead of stretching it and raising the LR again")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fresh", action="store_true", help="ignore WORKDIR/last.pt")
    ap.add_argument("--init-onnx", help="warm start from an exported model.onnx (model.json next to it)")
    # model
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--cell", choices=["lstm", "gru"], default="lstm")
    ap.add_argument("--unidirectional", action="store_true")
    ap.add_argument("--chunk", type=int, default=16)
    ap.add_argument("--lookahead", type=int, default=8)
    ap.add_argument("--dropout", type=float, default=0.0, help="between layers, training only")
    ap.add_argument("--ema", type=float, default=0.0,
                    help="also evaluate an exponential moving average of the weights with this decay (e.g. 0.998); "
                         "the better of raw and averaged weights is kept as best.pt; last.pt holds both (0: off)")
    # optimisation
    ap.add_argument("--lr", type=float, default=2.5e-3, help="peak Adam learning rate")
    ap.add_argument("--anchor", type=float, default=0.0,
                    help="after each update, pull the weights back toward those this invocation started from by "
                         "lr x ANCHOR of the gap (decoupled, like AdamW's decay but toward the start; 0: off): a "
                         "fine-tune keeps what the start model knows and moves only where the gradients agree")
    ap.add_argument("--warmup", type=int, default=300, help="linear warmup (updates)")
    ap.add_argument("--decay-start", type=float, default=0.55, help="fraction of the time budget at which decay starts")
    ap.add_argument("--final-lr", type=float, default=0.05, help="final LR as a fraction of the peak (exponential decay)")
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--batch-steps", type=int, default=3000, help="max padded 30 ms steps per batch per rank")
    ap.add_argument("--max-utts", type=int, default=24, help="max utterances per batch per rank")
    ap.add_argument("--max-seconds", type=float, default=25.0, help="skip longer training utterances")
    ap.add_argument("--no-sortagrad", action="store_true")
    ap.add_argument("--no-specaug", action="store_true")
    ap.add_argument("--shift-aug", action="store_true",
                    help="move each training utterance to a random stacking phase and chunk offset (FrameShift)")
    ap.add_argument("--onset-cut", type=float, default=0.0,
                    help="share of training utterances whose leading silence is cut (SilenceCut; default 0)")
    ap.add_argument("--offset-cut", type=float, default=0.0,
                    help="share of training utterances whose trailing silence is cut (SilenceCut; default 0)")
    ap.add_argument("--vtlp", type=float, default=0.0,
                    help="vocal tract length perturbation: each training utterance's frequency axis warped by a "
                         "random factor in [1 - VTLP, 1 + VTLP] (VocalTractWarp; default 0 = off; 0.1 is usual)")
    ap.add_argument("--cmn-window", type=int, default=0,
                    help="sliding-window cepstral mean normalisation over this many 10 ms frames (training/lcblstm/cmn.py); "
                         "0 keeps what the model has (none for a new model)")
    ap.add_argument("--cmn-prior", type=int, default=200,
                    help="frames' worth of the global mean blended into the sliding mean (with --cmn-window)")
    ap.add_argument("--freq-masks", type=int, default=2)
    ap.add_argument("--freq-width", type=int, default=4)
    ap.add_argument("--time-masks-per-sec", type=float, default=0.25)
    ap.add_argument("--time-width", type=int, default=4)
    # processes, evaluation, checkpoints
    ap.add_argument("--ranks", type=int, default=2, help="processes (1 thread each)")
    ap.add_argument("--device", default="cpu", help="cpu, or cuda (then --ranks 1)")
    ap.add_argument("--load-jobs", type=int, default=1, help="threads that decompress feature packs")
    ap.add_argument("--prefetch", type=int, help="batches built ahead in threads (default: 4 on an accelerator, 0 on cpu)")
    ap.add_argument("--eval-every", type=float, default=10.0, help="minutes between dev evaluations")
    ap.add_argument("--eval-at-start", action="store_true")
    ap.add_argument("--dev-max-utts", type=int, default=1000, help="per dev set, for periodic evaluations")
    ap.add_argument("--dev-phases", type=int, default=1, choices=(1, 2, 3),
                    help="decode the dev sets at this many stacking phases and pool the counts (less noisy)")
    ap.add_argument("--save-every", type=float, default=5.0, help="minutes between last.pt saves")
    ap.add_argument("--log-every", type=int, default=50, help="updates between log lines")
    ap.add_argument("--max-updates", type=int, default=0, help="stop after this many updates (tests)")
    args = ap.parse_args(argv)
    if not 0 <= args.vtlp < 0.5:
        ap.error(f"--vtlp {args.vtlp}: the largest warp must be at least 0 and below 0.5")
    return args



class Logger:
    def __init__(self, path, rank):
        self.path, self.rank = path, rank

    def __call__(self, msg):
        if self.rank != 0:
            return
        line = time.strftime("%Y-%m-%d %H:%M:%S ") + msg
        print(line, flush=True)
        with open(self.path, "a") as f:
            f.write(line + "\n")


def save(path, obj):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def build_model(args, ck, init_meta):
    if ck is not None:
        return LCRNN(**ck["model_config"])
    if init_meta is not None:
        return LCRNN(input_dim=init_meta["inputDim"], layers=init_meta["layers"], hidden=init_meta["hidden"],
                     cell=init_meta["cell"], bidirectional=init_meta["bidirectional"],
                     chunk=init_meta["chunkFrames"], lookahead=init_meta["lookaheadFrames"],
                     vocab=len(init_meta["vocabulary"]), dropout=args.dropout, cmn=init_meta.get("cmn"))
    return LCRNN(layers=args.layers, hidden=args.hidden, cell=args.cell, bidirectional=not args.unidirectional,
                 chunk=args.chunk, lookahead=args.lookahead, dropout=args.dropout)


def open_start(args):
    """Where this run starts: the checkpoint it resumes (WORKDIR/last.pt unless --fresh), else for a warm start
    the model.json next to --init-onnx; (None, None) for a new model."""
    last_path = os.path.join(args.workdir, "last.pt")
    ck = torch.load(last_path, map_location="cpu") if (os.path.exists(last_path) and not args.fresh) else None
    init_meta = None
    if ck is None and args.init_onnx:
        with open(os.path.join(os.path.dirname(os.path.abspath(args.init_onnx)), "model.json")) as f:
            init_meta = json.load(f)
    return ck, init_meta


def load_start_weights(model, args, ck, data, rank, log):
    """The model's weights and normalisation: the checkpoint's, the warm start's, or new weights normalised by
    statistics over the training dumps (computed once by rank 0 into WORKDIR/stats.json, read by every rank)."""
    import torch.distributed as dist
    if ck is not None:
        model.load_state_dict(ck["model"])
    elif args.init_onnx:
        from export import load_from_onnx
        load_from_onnx(args.init_onnx, model)
    else:
        stats_path = os.path.join(args.workdir, "stats.json")
        if rank == 0:
            if not os.path.exists(stats_path):
                mean, std, n = compute_stats(data.dumps(), seed=args.seed)
                with open(stats_path, "w") as f:
                    json.dump({"mean": mean.tolist(), "std": std.tolist(), "steps": n}, f)
                log(f"normalisation statistics from {n} steps -> {stats_path}")
        dist.barrier()
        with open(stats_path) as f:
            st = json.load(f)
        model.set_normalization(st["mean"], st["std"])
    if args.cmn_window > 0 and ck is None:
        model.cmn = make_cmn_config(args.cmn_window, args.cmn_prior, model.mean.cpu().numpy())


def start_state(args, ck, init_meta, updater, device, log):
    """The run's state (counters, history, best, what it was warm-started from), resumed from `ck` when there is
    one; a warm start carries the start model's own training (minutes, updates, epochs, dev history) forward."""
    state = {"epoch": 0, "step": 0, "updates": 0, "trained_seconds": 0.0, "history": [], "best": None,
             "warm_start": args.init_onnx, "warm_start_sha256": None, "prior_history": [], "prior_minutes": 0.0,
             "prior_updates": 0, "prior_epochs": 0.0}
    if ck is not None:
        updater.resume(ck, device)
        state.update(ck["state"])
        log(f"resumed from {os.path.join(args.workdir, 'last.pt')}: epoch {state['epoch']} step {state['step']} "
            f"updates {state['updates']} trained {state['trained_seconds'] / 60:.1f} min")
    elif init_meta is not None:
        tr = init_meta.get("training", {})
        state["prior_history"] = tr.get("devHistory", [])
        state["prior_minutes"] = float(tr.get("minutes", 0.0))
        # the card counts the model's whole training, not just this warm-started run
        state["prior_updates"] = int(tr.get("updates", 0))
        state["prior_epochs"] = float(tr.get("epochs", 0.0))
        # the path's contents change when a model ships; the fingerprint names the weights this run started from
        from export import file_sha256
        state["warm_start_sha256"] = file_sha256(args.init_onnx)
        log(f"warm start from {args.init_onnx}")
    return state


def augmentations(args, model, feature_config):
    """What collate() does to each training utterance: (frame shift, onset cut, offset cut, VTLP warp, SpecAugment),
    each None when off."""
    shift = FrameShift(model.chunk) if args.shift_aug else None
    onset = SilenceCut(args.onset_cut, "lead") if args.onset_cut > 0 else None
    offset = SilenceCut(args.offset_cut, "trail") if args.offset_cut > 0 else None
    warp = None
    if args.vtlp > 0:
        from export import DEFAULT_FEATURE_CONFIG
        warp = VocalTractWarp(feature_config or DEFAULT_FEATURE_CONFIG, args.vtlp)
    specaug = None if args.no_specaug else SpecAugment(
        coeffs=model.input_dim // 3, freq_masks=args.freq_masks, freq_width=args.freq_width,
        time_masks_per_sec=args.time_masks_per_sec, time_width=args.time_width)
    return shift, onset, offset, warp, specaug


def training_summary(args, model, data, state, steps_per_epoch, world, device, n_params, select):
    """model.json's `training` block as of now (export.py writes the card from it)."""
    return {
        "data": data.data_info, "shares": data.shares, "epochHours": data.epoch_seconds / 3600,
        "settings": dict({k: v for k, v in vars(args).items()
                          if k not in ("workdir", "train", "dev", "fresh", "max_updates",
                                       "layers", "hidden", "cell", "unidirectional", "chunk", "lookahead")},
                         model=model.config()),
        "minutes": state["prior_minutes"] + state["trained_seconds"] / 60,
        "updates": state["prior_updates"] + state["updates"],
        "epochs": state["prior_epochs"] + state["epoch"] + state["step"] / max(1, steps_per_epoch),
        "hardware": (f"{world} CPU processes x 1 thread" if device.type == "cpu"
                     else torch.cuda.get_device_name(device)), "parameters": n_params,
        "devHistory": state["prior_history"] + state["history"], "warmStart": state["warm_start"],
        "warmStartSha256": state["warm_start_sha256"],
        "select": select,
    }


def worker(rank, world, args, port):
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel as DDP
    global STOP
    torch.set_num_threads(1)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if rank != 0:  # rank 0 decides when every rank stops
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    torch.manual_seed(args.seed)  # same initial weights on every rank, and a reproducible run
    if args.clock == "cpu" and world > 1:
        raise SystemExit("--clock cpu needs --ranks 1 (each rank would count only its own CPU time)")
    clock = time.process_time if args.clock == "cpu" else time.time
    t_start = clock()
    wall_start = time.time()
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    log = Logger(os.path.join(args.workdir, "train.log"), rank)
    last_path = os.path.join(args.workdir, "last.pt")
    best_path = os.path.join(args.workdir, "best.pt")

    # ------------------------------------------------------------------ data, model, optimiser, state
    ck, init_meta = open_start(args)
    data = TrainData(args, log)
    devs = load_dev_sets(args.dev)
    select = args.select or (next(iter(devs)) if devs else None)
    model = build_model(args, ck, init_meta)
    load_start_weights(model, args, ck, data, rank, log)
    device = torch.device(args.device)
    if device.type != "cpu" and world > 1:
        raise SystemExit("--device other than cpu needs --ranks 1")
    model.to(device)
    mean = model.mean.cpu().numpy().copy()
    std = model.std.cpu().numpy().copy()
    C, R = model.chunk, model.lookahead
    ddp = DDP(model, broadcast_buffers=False) if world > 1 else model
    updater = Updater(model, args)
    state = start_state(args, ck, init_meta, updater, device, log)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"rank {rank}/{world}: model {model.config()} {n_params} parameters; groups "
        + ", ".join(f"{g}: {len(its)} utts {data.group_seconds[g] / 3600:.2f} h share {data.shares[g]:.2f}"
                    for g, its in data.groups.items())
        + f"; epoch {data.epoch_seconds / 3600:.2f} h; dev " + ", ".join(f"{k}: {len(v)}" for k, v in devs.items()))

    trained_at_start = state["trained_seconds"]
    budget = args.minutes * 60.0
    total_seconds = (args.schedule_minutes * 60.0 if args.schedule_minutes else trained_at_start + budget)
    if total_seconds <= trained_at_start:
        raise SystemExit(f"--schedule-minutes {args.schedule_minutes} is not beyond the {trained_at_start / 60:.1f} "
                         "minutes already trained")
    shift, onset, offset, warp, specaug = augmentations(args, model, data.feature_config)
    plan_len = [1]

    def checkpoint(path):
        ema = updater.ema
        save(path, {"model": model.state_dict(), "model_config": model.config(), "optimizer": updater.opt.state_dict(),
                    "state": state, "feature_config": data.feature_config,
                    "training_summary": training_summary(args, model, data, state, plan_len[0], world, device,
                                                         n_params, select),
                    "args": vars(args), "ema": ema.state_dict() if ema is not None else None})

    evals = DevEvaluation(model, updater.ema, devs, select, args, rank, world, device, state, log, checkpoint,
                          best_path)
    if args.eval_at_start and devs:
        entry = evals.run()
        if rank == 0:
            evals.record([entry], initial="resumed" if ck is not None else "start")
        dist.barrier()

    # ------------------------------------------------------------------ training loop
    def make_batch(plan, epoch, step):
        rng = random.Random((args.seed, epoch, step, rank).__hash__())
        return collate(plan[step][rank], mean, std, C, R, specaug, rng, shift, onset, offset, warp, model.cmn)

    if rank == 0:
        # only from here on is there a model worth saving; before, a signal simply ends the process
        def _stop(signum, frame):
            global STOP
            STOP = True
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
    # on an accelerator the CPU side (collate, SpecAugment) would otherwise leave it idle between steps
    ahead = args.prefetch if args.prefetch is not None else (4 if device.type != "cpu" else 0)
    batches = Prefetcher(make_batch, ahead)
    ddp.train()
    last_eval = last_save = clock()
    run_t0 = clock()
    seconds_base = state["trained_seconds"]
    flags = torch.zeros(3)
    win = {"loss": 0.0, "chars": 0, "steps": 0, "padded": 0, "t": 0.0, "n": 0, "cpu": 0.0}
    stopped = False
    while not stopped:
        plan = epoch_plan(data.groups, data.shares, data.epoch_seconds, state["epoch"], args.seed, args.batch_steps,
                          args.max_utts, C, R, world, sortagrad=not args.no_sortagrad)
        plan_len[0] = len(plan)
        if state["step"] == 0:
            log(f"epoch {state['epoch']}: {len(plan)} steps x {world} batches")
        while state["step"] < len(plan):
            now = clock()
            state["trained_seconds"] = seconds_base + (now - run_t0)
            if rank == 0:
                elapsed = now - t_start
                flags[0] = float(STOP or elapsed >= budget or (args.max_updates and state["updates"] >= args.max_updates))
                flags[1] = float(bool(devs) and now - last_eval >= args.eval_every * 60)
                flags[2] = float(now - last_save >= args.save_every * 60)
            if world > 1:
                dist.broadcast(flags, 0)
            if flags[0]:
                stopped = True
                break
            if flags[1]:
                entries = evals.entries()
                if rank == 0:
                    evals.record(entries)
                    checkpoint(last_path)
                dist.barrier()
                last_eval = last_save = clock()
                continue
            if flags[2]:
                if rank == 0:
                    checkpoint(last_path)
                last_save = clock()

            t0 = time.time(); c0 = time.process_time()
            x, tg, il, tl, real = batches.get(plan, state["epoch"], state["step"])
            lr = lr_at(args, state["updates"], state["trained_seconds"] / total_seconds)
            updater.set_lr(lr)
            lp = ddp(torch.from_numpy(x).to(device, non_blocking=True), normalized=True)
            loss = torch.nn.functional.ctc_loss(lp.transpose(0, 1), torch.from_numpy(tg).to(device),
                                                torch.from_numpy(il).to(device), torch.from_numpy(tl).to(device),
                                                blank=0, reduction="sum", zero_infinity=True)
            nchar = int(tl.sum())
            gn = updater.step(loss / nchar, lr)
            state["updates"] += 1
            state["step"] += 1
            win["loss"] += float(loss); win["chars"] += nchar; win["steps"] += real
            win["padded"] += x.shape[0] * x.shape[1]; win["t"] += time.time() - t0; win["n"] += 1
            win["cpu"] += time.process_time() - c0
            if state["updates"] % args.log_every == 0:
                log(f"ep {state['epoch']} step {state['step']}/{len(plan)} upd {state['updates']} "
                    f"loss/char {win['loss'] / max(1, win['chars']):.3f} lr {lr:.2e} gnorm {float(gn):.2f} "
                    f"{win['steps'] / max(1e-9, win['t']):.0f} steps/s/proc "
                    f"(padded {win['padded'] / max(1e-9, win['t']):.0f}; "
                    f"per CPU-second {win['steps'] / max(1e-9, win['cpu']):.0f}) "
                    f"{state['trained_seconds'] / 60:.1f} min")
                win = {k: 0 for k in win}
        else:
            state["epoch"] += 1
            state["step"] = 0
            continue
    state["trained_seconds"] = seconds_base + (clock() - run_t0)
    log(f"stopping after {state['updates']} updates, {state['trained_seconds'] / 60:.1f} min trained")
    # final evaluation unless one just happened (decided by rank 0: ranks must agree on collectives)
    flags[1] = float(bool(devs) and (clock() - last_eval > 60 or not state["history"]))
    if world > 1:
        dist.broadcast(flags, 0)
    if flags[1]:
        entries = evals.entries()
        if rank == 0:
            evals.record(entries)
    if rank == 0:
        checkpoint(last_path)
        if not devs or not os.path.exists(best_path):
            checkpoint(best_path)
        with open(os.path.join(args.workdir, "status.json"), "w") as f:
            json.dump({"updates": state["updates"], "minutes": state["trained_seconds"] / 60, "clock": args.clock,
                       "wall_minutes": (time.time() - wall_start) / 60,
                       "best": state["best"], "history": state["history"]}, f, indent=1)
        log(f"saved {last_path}")
    dist.barrier()
    dist.destroy_process_group()


class Prefetcher:
    """Builds the batches of the next `ahead` steps in background threads (0: synchronously).  Each batch's
    content depends only on (epoch, step), so prefetching never changes what is trained."""

    def __init__(self, make, ahead=0):
        self.make, self.ahead = make, ahead
        self.pool = None
        self.pending = {}
        if ahead > 0:
            from concurrent.futures import ThreadPoolExecutor
            self.pool = ThreadPoolExecutor(max_workers=2)

    def get(self, plan, epoch, step):
        if self.pool is None:
            return self.make(plan, epoch, step)
        for s in range(step, min(len(plan), step + self.ahead + 1)):
            if (epoch, s) not in self.pending:
                self.pending[(epoch, s)] = self.pool.submit(self.make, plan, epoch, s)
        fut = self.pending.pop((epoch, step))
        for key in [k for k in self.pending if k[0] != epoch or k[1] < step]:
            self.pending.pop(key).cancel()
        return fut.result()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    args = parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    with open(os.path.join(args.workdir, "args.json"), "w") as f:
        json.dump(vars(args), f, indent=1)
    port = free_port()
    if args.ranks == 1:
        worker(0, 1, args, port)
        return
    import torch.multiprocessing as mp
    ctx = mp.spawn(worker, args=(args.ranks, args, port), nprocs=args.ranks, join=False)

    def forward(signum, frame):  # rank 0 saves and tells the others to stop
        try:
            os.kill(ctx.processes[0].pid, signal.SIGTERM)
        except OSError:
            pass
    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    while not ctx.join():
        pass


if __name__ == "__main__":
    main()
