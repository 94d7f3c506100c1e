"""What a training run needs besides the maths: the device, a plain-text progress bar, a thread limit (chapter 3)."""

from __future__ import annotations

import contextlib
import sys

__all__ = ["check_device", "Progress", "few_threads"]


def check_device(device):
    """None for numpy on the CPU (no torch import), else a validated ``torch.device``."""
    if device is None or (isinstance(device, str) and device == "cpu"):
        return None
    import torch

    if not isinstance(device, (str, torch.device)):
        raise TypeError(f"`device` must be a string or torch.device; got {device!r}.")
    try:
        dev = torch.device(device)
    except RuntimeError as exc:
        raise ValueError(f"`device` must name a torch device such as 'cpu' or 'cuda'; got {device!r}.") from exc
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"`device` is {device!r} but CUDA is not available on this machine; use 'cpu'.")
    if dev.type not in ("cpu", "cuda"):
        raise ValueError(f"`device` must be 'cpu' or 'cuda'; got {device!r}.")
    return None if dev.type == "cpu" else dev


class Progress:
    """A plain-text progress bar: one line every tenth of the run, no widgets."""

    def __init__(self, total: int, enabled: bool, label: str):
        self.total, self.enabled, self.label = total, enabled, label
        self.marks = {max(1, round(total * f / 10)) for f in range(1, 11)}
        self._printed = 0

    def update(self, step: int, *, last: bool = False, **values: float) -> None:
        """Print at each tenth of the run, and at ``last`` (a run that stopped early)."""
        if not self.enabled or (step not in self.marks and not last) or step == self._printed:
            return
        self._printed = step
        filled = round(20 * step / self.total)
        text = "  ".join(f"{k} {v:.4f}" for k, v in values.items())
        print(f"[{'#' * filled}{'.' * (20 - filled)}] {self.label} {step}/{self.total}  {text}", file=sys.stdout, flush=True)


_POOLS = []  # one threadpoolctl.ThreadpoolController, made on first use (it scans the loaded libraries)


@contextlib.contextmanager
def few_threads(one_thread: bool, torch_too: bool):
    """Run many small operations on one thread (BLAS and OpenMP pools; torch's with ``torch_too``).

    Thousands of tiny operations gain nothing from a thread pool, and when the
    cores are busy the pools' idle workers spin and slow every call several-fold
    (a 100 × 100 SVD took a second on a loaded 2-core machine). The sampled
    loop and the exact trainer on a dense problem qualify; row blocks do not.
    """
    if not one_thread:
        yield
        return
    if not _POOLS:
        import threadpoolctl

        _POOLS.append(threadpoolctl.ThreadpoolController())
    with contextlib.ExitStack() as stack:
        stack.enter_context(_POOLS[0].limit(limits=1))
        if torch_too:
            import torch

            before = torch.get_num_threads()
            torch.set_num_threads(1)
            stack.callback(torch.set_num_threads, before)
        yield
