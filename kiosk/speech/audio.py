"""Small pieces of the speech engine: finding espeak-ng's voices, checking the sound device,
and handling 16-bit PCM and the engine's processes. No Kivy import."""
from __future__ import annotations

import os
import shutil
import subprocess
from array import array
from typing import Sequence


def find_voices(binary: str, wanted: Sequence[str]) -> tuple[tuple[str, ...], str]:
    """The voices of ``wanted`` that ``binary`` has, or () and what is wrong."""
    if shutil.which(binary) is None:
        return (), f"{binary} not found"
    try:
        listing = subprocess.run([binary, "--voices"], capture_output=True, text=True,
                                 timeout=10).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return (), f"{binary} does not run: {exc}"
    languages = set()
    for line in listing.splitlines()[1:]:
        fields = line.split()
        if len(fields) > 4:   # Pty Language Age/Gender VoiceName File ...
            languages |= {fields[1], fields[1].split("-")[0], fields[4].rsplit("/", 1)[-1]}
    voices = tuple(v for v in wanted if v in languages)
    if not voices:
        return (), f"{binary} has none of the voices {', '.join(wanted)}"
    return voices, ""


def check_player(command: Sequence[str]) -> str:
    """Play 20 ms of silence with ``command``: "" when the device opened and took it."""
    if shutil.which(command[0]) is None:
        return f"{command[0]} not found"
    try:
        done = subprocess.run(list(command), input=bytes(882), capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{command[0]} does not run: {exc}"
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"no sound device: {lines[-1] if lines else done.returncode}"
    return ""


def read_exactly(stream, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def even(data: bytes) -> tuple[bytes, bytes]:
    """Whole 16-bit samples, and the odd byte left over."""
    cut = len(data) - len(data) % 2
    return data[:cut], data[cut:]


def scale(pcm: bytes, gain: float) -> bytes:
    if gain == 1.0 or not pcm:
        return pcm
    samples = array("h", pcm)
    for i, value in enumerate(samples):
        samples[i] = max(-32768, min(32767, int(value * gain)))
    return samples.tobytes()


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            proc.kill()
        except OSError:
            pass


def send(proc: subprocess.Popen, sig: int) -> None:
    if proc.poll() is None:
        try:
            os.kill(proc.pid, sig)
        except OSError:
            pass
