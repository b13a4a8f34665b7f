"""The Jupyter kernels of a render: started early, warmed up, stopped, and started again when a port
clash kills one at start-up.

Part of `python -m newslens render` (see newslens.commands.render for the command as a whole).
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

from newslens.commands.render_plan import DEFAULT_KERNEL
from newslens.core.errors import NewslensError

THIS_PYTHON = "python3"  # the kernel of the interpreter running render, when no `newslens` kernel is installed
SETUP_SOURCE = "import newslens.report.notebook\nnewslens.report.notebook.setup()"
# Starts of one notebook's kernel when each dies of a port clash (see kernel_start_clashed).
KERNEL_START_ATTEMPTS = 3
# What a kernel writes to its stderr when a port chosen for it was taken before it could bind it.
PORT_CLASH = "Address already in use"


def parse_startup_cost(reply: dict) -> dict:
    """What newslens.report.notebook.startup_cost measured, from the kernel's reply to the warm-up request
    (its `cost` user expression), or {} if the kernel could not say."""
    import ast

    from newslens.report.notebook import STARTUP_MARK

    data = reply.get("content", {}).get("user_expressions", {}).get("cost", {})
    try:
        line = ast.literal_eval(data.get("data", {}).get("text/plain", "''"))
        return json.loads(line[len(STARTUP_MARK):]) if str(line).startswith(STARTUP_MARK) else {}
    except (ValueError, SyntaxError):
        return {}


def start_kernel(kernel: str, cwd: Path, log_path: Path, measure_stack: bool = False):
    """Start a kernel now and return its KernelManager; it boots, measures its start-up cost and runs
    the hidden setup (importing the stack) while this process does other work.

    Its stderr, start-up chatter such as "Kernel is running over TCP without encryption", goes to
    `log_path`; it runs in `cwd`, the notebooks' folder (no os.chdir here: threads share the cwd).
    The two warm-up requests are queued at once (zmq holds them until the kernel is up), `silent` so
    they leave no trace in the notebook (no execution count, no output): the first only evaluates
    newslens.report.notebook.startup_cost as a user expression (read back by read_startup_cost), the second
    is SETUP_SOURCE, which the notebook's own hidden setup cell then finds done.
    """
    import zmq

    log_path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        km = _kernel_manager_class()(kernel_name=kernel)
        try:
            with open(log_path, "wb") as log:
                km.start_kernel(stderr=log, cwd=str(cwd))
            break
        except zmq.ZMQError as exc:  # a port clash seen on this side: new ports, bounded
            if PORT_CLASH not in str(exc) or attempt == KERNEL_START_ATTEMPTS:
                raise
    km.newslens_log = log_path  # where this kernel's stderr went (kept with a failed notebook)
    # Its own session: the shell socket's identity is the session id, and nbclient's client (same
    # manager, same session) would otherwise receive this client's replies.
    from jupyter_client.session import Session

    kc = km.client(session=Session(key=km.session.key, signature_scheme=km.session.signature_scheme))
    kc.start_channels()
    cost = f"__import__('newslens.report.notebook').report.notebook.startup_cost(measure_stack={bool(measure_stack)})"
    km.newslens_warmup = (kc, kc.execute("", silent=True, store_history=False,
                                         user_expressions={"cost": cost}))
    kc.execute(SETUP_SOURCE, silent=True, store_history=False)
    return km


def read_startup_cost(km, timeout: float = 1) -> dict:
    """The start-up cost the kernel reported for its warm-up (see start_kernel); {} if none came within
    `timeout` seconds of the last message. A render calls it once its notebook has run, so the reply is
    long there; `prepare` calls it on a kernel just started, with a longer timeout."""
    import queue

    kc, msg_id = km.newslens_warmup
    while True:
        try:
            msg = kc.get_shell_msg(timeout=timeout)
        except queue.Empty:
            return {}
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return parse_startup_cost(msg)


@functools.cache
def _kernel_manager_class():
    """A KernelManager that remembers the clients made for it: nbclient does not close the client of a
    kernel it did not start, so stop_kernel closes them (else each leaves a zmq context open)."""
    from jupyter_client import KernelManager

    class RenderKernelManager(KernelManager):
        @property
        def kernel_spec(self):
            # THIS_PYTHON is always this interpreter (sys.executable), whatever "python3" kernel a
            # Jupyter folder may hold for another one.
            if self.kernel_name == THIS_PYTHON and self._kernel_spec is None:
                from ipykernel.kernelspec import get_kernel_dict
                from jupyter_client.kernelspec import KernelSpec

                self._kernel_spec = KernelSpec(**get_kernel_dict())
            return super().kernel_spec

        def client(self, **kwargs):
            kc = super().client(**kwargs)
            self.__dict__.setdefault("newslens_clients", []).append(kc)
            return kc

    return RenderKernelManager


def stop_kernel(km) -> None:
    """Close the kernel's clients and end it at once (its notebook has run, or will not)."""
    for kc in km.__dict__.get("newslens_clients", []):
        kc.stop_channels()
    km.shutdown_kernel(now=True)


def choose_kernel(name: str | None) -> str:
    """The kernel asked for (which must exist), else `newslens` when installed, else THIS_PYTHON (this
    interpreter's own kernel: an installed package needs no kernel installed by hand), saying so."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    if name:
        check_kernel(name)
        return name
    try:
        KernelSpecManager().get_kernel_spec(DEFAULT_KERNEL)
        return DEFAULT_KERNEL
    except NoSuchKernel:
        print(f"no Jupyter kernel named '{DEFAULT_KERNEL}' is installed: the notebooks run in this Python's "
              f"kernel ({sys.executable})", flush=True)
        return THIS_PYTHON


def check_kernel(name: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    if name == THIS_PYTHON:
        return

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise NewslensError(
            f"Jupyter kernel '{name}' is not installed; run `make venv` (or `python -m ipykernel install "
            f"--sys-prefix --name {name}`), or choose one with --kernel"
        ) from None



def kernel_start_clashed(km) -> bool:
    """Whether the kernel died at start-up because another process took one of its ports (ZMQError:
    Address already in use). jupyter_client picks free ports, then the kernel binds them: anything on
    the machine (another render, a test) may take one in between, about one render in twelve on a busy
    machine. Such a kernel ran nothing, so starting another one is safe."""
    log_path = getattr(km, "newslens_log", None)
    try:
        return bool(log_path) and PORT_CLASH in Path(log_path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
