"""Real display servers for the display tests: Xvfb with no window manager, weston's headless
backend with its kiosk shell (as an unprivileged user), and the real kiosk started in them."""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
CI_USER = "kioskci"
#: the welcome screen's paper background and the bar's teal (kiosk/ui/theme.py NORMAL)
APP_COLOURS = {(0xF4, 0xF1, 0xEA), (0x0E, 0x5A, 0x6B)}


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop ``proc`` (its own process group) and reap it."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def _accepts(path: str) -> bool:
    """Whether an X server answers on the Unix socket ``path`` (its file appears before that)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(path)
        except OSError:
            return False
    return subprocess.run(["xdpyinfo", "-display", ":" + path.rsplit("X", 1)[1]],
                          capture_output=True, timeout=10, check=False).returncode == 0


@contextmanager
def xvfb(width: int, height: int) -> Iterator[str]:
    """An Xvfb screen of ``width`` x ``height`` and no window manager; yields its DISPLAY.

    Xvfb picks a free display number itself (``-displayfd``): other test runs on the machine
    start and stop X servers too, and a number found free a moment ago may not be by now."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                             f"{width}x{height}x24", "-nolisten", "tcp"], pass_fds=(write_end,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    os.close(write_end)
    try:
        with os.fdopen(read_end) as announced:
            number = announced.readline().strip()
        if not number or not wait_for(lambda: _accepts(f"/tmp/.X11-unix/X{number}"), 10):
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        stop(proc)


def kiosk_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KIOSK", "KIVY", "SDL_", "WAYLAND", "DISPLAY", "XDG_RUNTIME"))}
    env.update(KIOSK_DATA_DIR=str(data_dir), **extra)
    return env


@contextmanager
def kiosk(env: dict[str, str], args: tuple[str, ...] = ()) -> Iterator[subprocess.Popen]:
    """The real ``python main.py`` (fullscreen, locked down), stopped with SIGKILL when the
    test is done with it (a test of SIGTERM sends its own)."""
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, str(REPO / "main.py"), *args], cwd=REPO, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        stop(proc, signal.SIGKILL)
        log.seek(0)
        proc.output = log.read().decode(errors="replace")
        log.close()


def grab_x11(display: str, out: Path) -> Optional[Image.Image]:
    done = subprocess.run(["import", "-display", display, "-window", "root", str(out)],
                          capture_output=True, timeout=20, check=False)
    return Image.open(out).convert("RGB") if done.returncode == 0 and out.exists() else None


def border_report(image: Image.Image) -> dict:
    """The outermost rows and columns: how many pixels are black (the bare screen), and
    whether the app's own colours are there."""
    width, height = image.size
    pixels = image.load()
    border = ([(x, 0) for x in range(width)] + [(x, height - 1) for x in range(width)]
              + [(0, y) for y in range(height)] + [(width - 1, y) for y in range(height)])
    colours = [pixels[p] for p in border]
    return {"size": image.size, "black": sum(1 for c in colours if max(c) < 16),
            "app": sum(1 for c in colours if c in APP_COLOURS), "total": len(colours)}


def covers(image: Optional[Image.Image]) -> bool:
    if image is None:
        return False
    report = border_report(image)
    return report["black"] == 0 and report["app"] > report["total"] // 2


def ci_user() -> pwd.struct_passwd:
    """The unprivileged user weston runs as (created when missing; the tests run as root)."""
    try:
        return pwd.getpwnam(CI_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        CI_USER], check=True)
        return pwd.getpwnam(CI_USER)


@contextmanager
def weston_headless(width: int, height: int, runtime: Path,
                    shell: str = "kiosk-shell.so") -> Iterator[dict[str, str]]:
    """weston's headless backend with ``shell`` and XWayland, as :data:`CI_USER`; yields
    the environment a client needs (WAYLAND_DISPLAY, XDG_RUNTIME_DIR, DISPLAY)."""
    user = ci_user()
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.chown(runtime, user.pw_uid, user.pw_gid)
    log = runtime.parent / "weston.log"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(runtime), "XDG_RUNTIME_DIR": str(runtime)}
    argv = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
            "weston", "--backend=headless-backend.so", "--use-pixman", f"--shell={shell}",
            f"--width={width}", f"--height={height}", "--socket=kiosk-wl", "--debug", "--xwayland",
            f"--log={log}"]
    proc = subprocess.Popen(argv, env=env, cwd=runtime, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        def xwayland_display() -> str:
            text = log.read_text(errors="replace") if log.exists() else ""
            marker = "xserver listening on display "
            return text.split(marker, 1)[1].split()[0] if marker in text else ""

        if not wait_for(lambda: (runtime / "kiosk-wl").exists() and xwayland_display(), 15):
            raise RuntimeError("weston did not start: " + (log.read_text() if log.exists() else ""))
        # Xwayland lets in only weston's own user; the kiosk under test runs as the test's
        subprocess.run([*argv[:4], "xhost", f"+si:localuser:{pwd.getpwuid(os.getuid()).pw_name}"],
                       env={**env, "DISPLAY": xwayland_display()}, capture_output=True, timeout=20,
                       check=True)
        yield {"WAYLAND_DISPLAY": "kiosk-wl", "XDG_RUNTIME_DIR": str(runtime),
               "DISPLAY": xwayland_display()}
    finally:
        stop(proc)


def grab_weston(client_env: dict[str, str], workdir: Path) -> Optional[Image.Image]:
    """A picture of weston's whole output by ``weston-screenshooter`` (run as weston's user)."""
    user = ci_user()
    for old in workdir.glob("wayland-screenshot*.png"):
        old.unlink()
    env = {"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": client_env["XDG_RUNTIME_DIR"],
           "WAYLAND_DISPLAY": client_env["WAYLAND_DISPLAY"], "HOME": str(workdir)}
    subprocess.run(["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
                    "weston-screenshooter"], env=env, cwd=workdir, capture_output=True, timeout=20,
                   check=False)
    shots = sorted(workdir.glob("wayland-screenshot*.png"))
    return Image.open(shots[-1]).convert("RGB") if shots else None


def as_ci_user(argv: list[str], client_env: dict[str, str], workdir: Path) -> subprocess.Popen:
    """Start a Wayland client as weston's user."""
    user = ci_user()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), **client_env}
    return subprocess.Popen(["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}",
                             "--clear-groups", *argv], env=env, cwd=workdir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def kiosk_window(display: str) -> Optional[int]:
    """The X id of the kiosk's window (by its Albanian title), None while it has none."""
    tree = subprocess.run(["xwininfo", "-root", "-tree", "-display", display], capture_output=True,
                          text=True, timeout=20, check=False).stdout
    for line in tree.splitlines():
        if '"Kioska e shërbimeve sociale"' in line:
            return int(line.split()[0], 16)
    return None


def move_window(display: str, window: int, x: int, y: int, width: int, height: int) -> None:
    """Move and resize an X window from outside, as a window manager (or a stray client) does."""
    import ctypes

    from kiosk.display import _libx11

    x11 = _libx11()
    x11.XMoveResizeWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                                      ctypes.c_uint, ctypes.c_uint]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    handle = x11.XOpenDisplay(display.encode())
    try:
        x11.XMoveResizeWindow(handle, window, x, y, width, height)
        x11.XSync(handle, 0)
    finally:
        x11.XCloseDisplay(handle)


def have(*tools: str) -> list[str]:
    return [tool for tool in tools if shutil.which(tool) is None]
