"""Does pinned host memory speed up the per-batch copy to the GPU?

The minimal fixed-length training loop of ``bench_speed.py`` (4096 x 100 x 8,
LSTM 64, Adam), with each mini-batch copied from the CPU to the GPU three
ways: from pageable memory (``.to(device)``, what skorch does); pinned first,
then copied with ``non_blocking=True``; gathered straight into a pinned
buffer, then copied with ``non_blocking=True``. Batches of 32 (sklstm's
default) and 512. Epoch times are medians of 5 interleaved repeats. Needs
CUDA. Run:

    python benchmarks/bench_pinned_memory.py    # about 30 s on an H100
"""

import statistics
import sys

import bench_speed as bench
import torch
from torch import nn

MODES = ("pageable", "pin each batch", "pinned buffer")


def training_epoch(X, y, mode, batch_size):
    """One epoch of the minimal loop, copying batches the ``mode`` way."""
    device = bench.DEVICE
    model = bench.HandModel(False).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=bench.LR)
    lengths = torch.full((len(X),), X.shape[1])

    def run():
        for idx in torch.randperm(len(X)).split(batch_size):
            if mode == "pageable":
                X_batch = X[idx].to(device)
            elif mode == "pin each batch":
                X_batch = X[idx].pin_memory().to(device, non_blocking=True)
            else:
                buffer = torch.empty((len(idx),) + X.shape[1:], pin_memory=True)
                X_batch = torch.index_select(X, 0, idx, out=buffer).to(device, non_blocking=True)
            loss = nn.functional.cross_entropy(model(X_batch, lengths[idx]), y[idx].to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    return run


def main():
    if not torch.cuda.is_available():
        sys.exit("bench_pinned_memory.py needs a CUDA GPU.")
    bench.DEVICE = torch.device("cuda")
    print(f"command: python {' '.join(sys.argv)}")
    print(
        f"torch {torch.__version__}, {torch.cuda.get_device_name()}; median of 5 interleaved "
        "repeats; ratio: speed / that of the pageable copy"
    )
    X, y = bench.fixed_length(4096, 100, seed=0)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    for batch_size in (32, 512):
        runs = {mode: training_epoch(X, y, mode, batch_size) for mode in MODES}
        for run in runs.values():
            run()  # warm-up: cuDNN plans, the caching allocator
        seconds = {mode: [] for mode in MODES}
        for _ in range(5):
            for mode, run in runs.items():
                seconds[mode].append(bench.timed(run))
        base = statistics.median(seconds["pageable"])
        for mode in MODES:
            median = statistics.median(seconds[mode])
            print(
                f"  batch {batch_size:4d}  {mode:16} {median * 1e3:7.1f} ms/epoch  "
                f"{base / median:5.2f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
