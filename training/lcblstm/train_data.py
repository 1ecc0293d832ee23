"""What train.py trains and measures on: the --train dumps grouped and shared out per epoch (--mix), and the --dev
sets (each shuffled once, so --dev-max-utts takes a fixed subset)."""
import os
import random

from dataset import group_shares, load_items, open_dump


def split_spec(s, default_name=None):
    """NAME=DIR, or a bare DIR named `default_name` (else its folder name)."""
    if "=" in s:
        a, b = s.split("=", 1)
        return a, b
    return default_name or os.path.basename(os.path.normpath(s)), s


class TrainData:
    """groups: group -> items; data_info: one dict per dump for the model card (its share of an epoch's audio
    included); group_seconds, shares (group -> share per epoch), epoch_seconds; feature_config: the first dump's."""

    def __init__(self, args, log):
        self.groups, self.data_info = {}, []
        self.feature_config = None
        max_steps = int(args.max_seconds / 0.03)
        for spec in args.train:
            g, d = split_spec(spec, "train")
            dump = open_dump(d, jobs=args.load_jobs)
            if self.feature_config is None:
                self.feature_config = dump.feature_config
            elif dump.feature_config != self.feature_config:
                log(f"WARNING: featureConfig of {d} differs from the first train dump")
            items, skipped = load_items(dump, max_steps=max_steps)
            self.groups.setdefault(g, []).extend(items)
            hours = sum(it.steps for it in items) * 0.03 / 3600
            self.data_info.append({"name": dump.name, "path": d, "group": g, "utterances": len(items),
                                   "skipped": skipped, "hours": hours})
        if not self.groups:
            raise SystemExit("no --train data")
        self.group_seconds = {g: sum(it.steps for it in its) * 0.03 for g, its in self.groups.items()}
        mix = None
        if args.mix:
            mix = {k: float(v) for k, v in (p.split("=") for p in args.mix.split(","))}
        self.shares = group_shares(self.group_seconds, mix, args.real_min_share)
        self.epoch_seconds = args.epoch_hours * 3600 if args.epoch_hours else sum(self.group_seconds.values())
        for di in self.data_info:
            gsec = self.group_seconds[di["group"]]
            di["share"] = self.shares[di["group"]] * (di["hours"] * 3600 / gsec if gsec else 0)

    def dumps(self):
        """Each training dump once (normalisation statistics are computed over them)."""
        return list({id(it.dump): it.dump for its in self.groups.values() for it in its}.values())


def load_dev_sets(specs):
    """name -> items, in a fixed shuffled order (the first --dev-max-utts are the periodic evaluations' subset)."""
    devs = {}
    for spec in specs:
        name, d = split_spec(spec)
        its, _ = load_items(open_dump(d), feasible_only=False)
        random.Random(0).shuffle(its)  # fixed subset for --dev-max-utts
        devs[name] = its
    return devs
