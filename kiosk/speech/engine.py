"""The speech engine: espeak-ng's Albanian and English voices, played on the default sound device.

:class:`SpeechEngine` is the small interface the UI uses; :class:`EspeakEngine` implements it
with two processes per utterance, both from Debian packages:

    espeak-ng --stdout   (package espeak-ng)  ->  this worker thread  ->  aplay -t raw  (alsa-utils)

A worker thread runs espeak-ng for each part, reads its audio in small chunks as they are made
and writes them to ``aplay``, which plays them at once on ALSA's default device (routed to
PipeWire or PulseAudio where the box runs one). So speech starts with the first chunk, not when
the whole text is synthesised, and never on the UI thread. Why these and not another way:

- the espeak-ng *command* rather than ``libespeak-ng`` through ctypes: the voice data and any
  crash stay out of the kiosk's process, and killing it stops synthesis at once;
- ``aplay`` reading stdin rather than SDL2 audio (which belongs to the UI layer's Kivy) or a
  Python audio library (``simpleaudio`` is unmaintained, ``sounddevice`` needs PortAudio and
  numpy): it is on every Debian box with ALSA, it streams, and ``kill`` drops its buffer.
  Its buffer is kept short (:data:`BUFFER_US`) so Stop and Pause are heard within a tenth of a
  second.

:meth:`EspeakEngine.stop` kills both processes (a new action interrupts speech at once);
:meth:`pause` and :meth:`resume` stop and continue them (SIGSTOP/SIGCONT); :meth:`repeat` says
the last text again. The volume is applied to the samples as they pass (3 dB steps, so a change
is heard within a chunk); the rate is espeak-ng's words per minute, from the next utterance.

A missing espeak-ng, a missing voice or no sound device disables speech: one warning in the
log, :meth:`status` says why (for the staff panel), and every method quietly does nothing.
"""
from __future__ import annotations

import logging
import queue
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from kiosk.speech import audio
from kiosk.speech.parts import N_, Part, tr

log = logging.getLogger(__name__)

VOICES = ("sq", "en")
#: espeak-ng words per minute: slow, normal (the default), fast.
RATES = (130, 160, 195)
DEFAULT_RATE = 1
#: Volume steps, 3 dB apart; the middle one is the default, so a visitor can go louder.
GAINS_DB = (-12.0, -9.0, -6.0, -3.0, 0.0)
DEFAULT_VOLUME = 2
CHUNK = 2048                # bytes read from espeak-ng at a time: 46 ms of audio at 22 050 Hz
BUFFER_US = 100_000         # aplay's buffer: what plays on after a pause
WAV_HEADER = 44
MAX_TEXT_BYTES = 60_000     # of one part; a Linux pipe holds 64 KiB

OK, NO_ENGINE, NO_VOICE, NO_DEVICE, OFF = "ok", "no_engine", "no_voice", "no_device", "off"
MESSAGES = {
    OFF: N_("Speech is off in the configuration."),
    OK: N_("Speech is ready."),
    NO_ENGINE: N_("Speech is off: espeak-ng is not installed."),
    NO_VOICE: N_("Speech is off: espeak-ng has no Albanian or English voice."),
    NO_DEVICE: N_("Speech is off: no sound device answers."),
}

Speech = Union[str, Part, Iterable[Part]]
Listener = Callable[[str, int], None]


@dataclass(frozen=True)
class EngineStatus:
    """Where speech stands, for the staff panel and the UI's controls."""

    available: bool
    reason: str                 # OK, NO_ENGINE, NO_VOICE, NO_DEVICE or OFF
    detail: str                 # the technical line that was logged ("" when available)
    voices: tuple[str, ...]
    speaking: bool = False
    paused: bool = False
    rate: int = DEFAULT_RATE
    volume: int = DEFAULT_VOLUME

    def message(self, lang: str) -> str:
        return tr(lang, MESSAGES[self.reason])


class SpeechEngine:
    """What the UI may ask of speech. Every method returns at once and never raises."""

    def speak(self, speech: Speech, lang: str = "sq") -> None: ...
    def stop(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def repeat(self) -> None: ...
    def set_rate(self, step: int) -> None: ...
    def set_volume(self, step: int) -> None: ...
    def reset(self) -> None: ...
    def status(self) -> EngineStatus: ...
    def close(self) -> None: ...


def as_parts(speech: Speech, lang: str = "sq") -> tuple[Part, ...]:
    if isinstance(speech, str):
        return (Part(speech, lang),)
    if isinstance(speech, Part):
        return (speech,)
    return tuple(p for p in speech if p.text.strip())


@dataclass
class _Job:
    number: int
    parts: tuple[Part, ...]
    rate: int
    requested: float
    cancelled: threading.Event
    procs: list
    heard: bool = False


class EspeakEngine(SpeechEngine):
    """:class:`SpeechEngine` on espeak-ng and aplay (see the module's docstring).

    ``player`` is the command that plays raw 16-bit mono PCM from stdin; ``{rate}`` in it is
    replaced by the sample rate. The default is ``aplay`` on ``device``.
    """

    def __init__(self, binary: str = "espeak-ng", device: str = "default",
                 player: Optional[Sequence[str]] = None, listener: Optional[Listener] = None,
                 probe: bool = True):
        self.binary = binary
        self.player = list(player) if player else [
            "aplay", "-q", "-D", device, "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", "{rate}",
            f"--buffer-time={BUFFER_US}"]
        self.listener = listener
        self.latencies: deque[float] = deque(maxlen=500)
        self._lock = threading.Lock()
        self._jobs: "queue.Queue[Optional[_Job]]" = queue.Queue()
        self._job: Optional[_Job] = None
        self._last: tuple[Part, ...] = ()
        self._count = 0
        self._rate, self._volume = DEFAULT_RATE, DEFAULT_VOLUME
        self._paused = False
        self._status = EngineStatus(False, NO_ENGINE, "not probed", ())
        self._worker: Optional[threading.Thread] = None
        if probe:
            self.probe()

    # ------------------------------------------------------------------ availability

    def probe(self) -> EngineStatus:
        """Look for espeak-ng, its voices and a sound device; start the worker when all are there."""
        reason, detail, voices = self._check()
        with self._lock:
            self._status = EngineStatus(reason == OK, reason, detail, voices, rate=self._rate,
                                        volume=self._volume)
        if reason != OK:
            log.warning("speech disabled: %s", detail)
        elif self._worker is None:
            self._worker = threading.Thread(target=self._run, name="speech", daemon=True)
            self._worker.start()
        return self.status()

    def disable(self, detail: str) -> None:
        """Say nothing from now on; :meth:`status` gives ``detail`` (logged once)."""
        log.warning("speech disabled: %s", detail)
        with self._lock:
            self._cancel_locked()
            self._status = EngineStatus(False, OFF, detail, ())

    def probe_voices(self) -> "EspeakEngine":
        """Look for espeak-ng and its voices only: enough for :meth:`synthesise` (WAV files)."""
        reason, detail, voices = self._check_voices()
        with self._lock:
            self._status = EngineStatus(False, reason, detail or "sound device not probed", voices)
        return self

    def _check(self) -> tuple[str, str, tuple[str, ...]]:
        reason, detail, voices = self._check_voices()
        if reason != OK:
            return reason, detail, voices
        problem = self._check_player()
        return (NO_DEVICE, problem, voices) if problem else (OK, "", voices)

    def _check_voices(self) -> tuple[str, str, tuple[str, ...]]:
        voices, problem = audio.find_voices(self.binary, VOICES)
        if problem:
            return (NO_VOICE if shutil.which(self.binary) else NO_ENGINE), problem, ()
        return OK, "", voices

    def _check_player(self) -> str:
        return audio.check_player(self._player_command(22050))

    def status(self) -> EngineStatus:
        with self._lock:
            job = self._job
            return replace(self._status, speaking=job is not None and not job.cancelled.is_set(),
                           paused=self._paused, rate=self._rate, volume=self._volume)

    def latency(self) -> tuple[float, float]:
        """Median and 95th percentile of speak() -> first audio chunk to the device, seconds."""
        values = sorted(self.latencies)
        if not values:
            return 0.0, 0.0
        return statistics.median(values), values[min(len(values) - 1, int(0.95 * len(values)))]

    # ------------------------------------------------------------------ control (any thread)

    def speak(self, speech: Speech, lang: str = "sq") -> None:
        parts = as_parts(speech, lang)
        with self._lock:
            if not self._status.available or not parts:
                return
            self._cancel_locked()
            self._count += 1
            self._last = parts
            self._job = _Job(self._count, parts, RATES[self._rate], time.perf_counter(),
                             threading.Event(), [])
            self._jobs.put(self._job)

    def stop(self) -> None:
        with self._lock:
            self._cancel_locked()

    def _cancel_locked(self) -> None:
        job, self._job, self._paused = self._job, None, False
        if job is not None:
            job.cancelled.set()
            for proc in job.procs:
                audio.kill(proc)

    def pause(self) -> None:
        self._signal(True)

    def resume(self) -> None:
        self._signal(False)

    def _signal(self, pause: bool) -> None:
        with self._lock:
            if self._job is None or self._paused == pause:
                return
            self._paused = pause
            for proc in self._job.procs:
                audio.send(proc, signal.SIGSTOP if pause else signal.SIGCONT)

    def repeat(self) -> None:
        with self._lock:
            last = self._last
        if last:
            self.speak(last)

    def set_rate(self, step: int) -> None:
        with self._lock:
            self._rate = max(0, min(len(RATES) - 1, int(step)))

    def set_volume(self, step: int) -> None:
        with self._lock:
            self._volume = max(0, min(len(GAINS_DB) - 1, int(step)))

    def reset(self) -> None:
        """The next visitor's defaults: silence, normal rate, default volume, nothing to repeat."""
        with self._lock:
            self._cancel_locked()
            self._rate, self._volume, self._last = DEFAULT_RATE, DEFAULT_VOLUME, ()

    def close(self) -> None:
        self.stop()
        self._jobs.put(None)

    # ------------------------------------------------------------------ worker thread

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if job.cancelled.is_set():
                continue
            self._event("started", job)
            try:
                finished = self._play(job)
            except OSError as exc:
                log.warning("speech failed: %s", exc)
                finished = False
            with self._lock:
                if self._job is job:
                    self._job = None
            self._event("finished" if finished else "stopped", job)

    def _play(self, job: _Job) -> bool:
        """Synthesise each part (each of its pieces in its own voice, :meth:`Part.voiced`) and
        stream it to one player process; False when cancelled."""
        player: Optional[subprocess.Popen] = None
        try:
            for part in (piece for whole in job.parts for piece in whole.voiced()):
                synth = self._start(job, self._synth_command(part, job.rate), stdin=True)
                if synth is None:
                    return False
                # Written whole before any audio is read: it must fit in the pipe's buffer.
                synth.stdin.write(_fit(part.text))
                synth.stdin.close()
                header = audio.read_exactly(synth.stdout, WAV_HEADER)
                if len(header) < WAV_HEADER:
                    return False
                if player is None:
                    sample_rate = int.from_bytes(header[24:28], "little")
                    player = self._start(job, self._player_command(sample_rate), stdin=True,
                                         output=False)
                    if player is None:
                        return False
                if not self._relay(job, synth, player):
                    return False
                synth.wait()
            if player is not None:
                player.stdin.close()
                player.wait()
                if player.returncode and not job.cancelled.is_set():
                    self._device_lost(player)
            return not job.cancelled.is_set()
        except (BrokenPipeError, ValueError):
            return False
        finally:
            for proc in job.procs:
                audio.kill(proc)
                proc.wait()
                if getattr(proc, "errors", None) is not None:
                    proc.errors.close()

    def _relay(self, job: _Job, synth: subprocess.Popen, player: subprocess.Popen) -> bool:
        carry = b""
        while not job.cancelled.is_set():
            chunk = synth.stdout.read1(CHUNK) if hasattr(synth.stdout, "read1") else synth.stdout.read(CHUNK)
            if not chunk:
                return True
            chunk, carry = audio.even(carry + chunk)
            player.stdin.write(audio.scale(chunk, self._gain()))
            player.stdin.flush()
            if not job.heard:
                job.heard = True
                self.latencies.append(time.perf_counter() - job.requested)
                self._event("audio", job)
        return False

    def _start(self, job: _Job, command: list[str], stdin: bool, output: bool = True
               ) -> Optional[subprocess.Popen]:
        with self._lock:
            if job.cancelled.is_set():
                return None
            errors = None if output else tempfile.TemporaryFile()
            proc = subprocess.Popen(command, stdin=subprocess.PIPE if stdin else None,
                                    stdout=subprocess.PIPE if output else subprocess.DEVNULL,
                                    stderr=errors or subprocess.DEVNULL)
            proc.errors = errors
            job.procs.append(proc)
            if self._paused:
                audio.send(proc, signal.SIGSTOP)
            return proc

    def _device_lost(self, player: subprocess.Popen) -> None:
        lines = []
        if player.errors is not None:
            player.errors.seek(0)
            lines = player.errors.read().decode("utf-8", "replace").strip().splitlines()
        detail = f"the sound device stopped: {lines[-1] if lines else player.returncode}"
        log.warning("speech disabled: %s", detail)
        with self._lock:
            self._status = replace(self._status, available=False, reason=NO_DEVICE, detail=detail)

    def _gain(self) -> float:
        return 10 ** (GAINS_DB[self._volume] / 20)

    def _synth_command(self, part: Part, rate: int) -> list[str]:
        voice = part.lang if part.lang in self._status.voices else self._status.voices[0]
        return [self.binary, "-v", voice, "-s", str(rate), "--stdout", "--stdin"]

    def _player_command(self, sample_rate: int) -> list[str]:
        return [arg.replace("{rate}", str(sample_rate)) for arg in self.player]

    def _event(self, name: str, job: _Job) -> None:
        if self.listener is not None:
            try:
                self.listener(name, job.number)
            except Exception:  # noqa: BLE001 - a listener's bug must not stop speech
                log.exception("speech listener failed")

    # ------------------------------------------------------------------ files

    def synthesise(self, speech: Speech, lang: str = "sq", rate: Optional[int] = None
                   ) -> tuple[int, bytes]:
        """The whole speech as (sample rate, 16-bit mono PCM), for ``kiosk speak --wav``."""
        if not self._status.voices:
            raise RuntimeError(self._status.detail)
        sample_rate, pcm = 22050, bytearray()
        for part in (piece for whole in as_parts(speech, lang) for piece in whole.voiced()):
            done = subprocess.run(self._synth_command(part, RATES[self._rate if rate is None else rate]),
                                  input=part.text.encode("utf-8"), capture_output=True, timeout=120)
            if done.returncode != 0 or len(done.stdout) < WAV_HEADER:
                raise RuntimeError(done.stderr.decode("utf-8", "replace").strip() or "espeak-ng failed")
            sample_rate = int.from_bytes(done.stdout[24:28], "little")
            pcm += audio.scale(audio.even(done.stdout[WAV_HEADER:])[0], self._gain())
        return sample_rate, bytes(pcm)


def _fit(text: str) -> bytes:
    """``text`` as UTF-8, cut (between characters) to :data:`MAX_TEXT_BYTES`."""
    return text.encode("utf-8")[:MAX_TEXT_BYTES].decode("utf-8", "ignore").encode("utf-8")


def make_speech(config: Any) -> SpeechEngine:
    """The espeak-ng engine on ``[speech] device``, at the configured rate and volume; with
    speech turned off in the configuration an engine that says nothing (its status says why)."""
    section = config.speech
    if not section.enabled:
        engine = EspeakEngine(probe=False)
        engine.disable("turned off in the configuration ([speech] enabled = false)")
    else:
        engine = EspeakEngine(device=section.device)
    engine.set_rate(section.rate_step)
    engine.set_volume(section.volume_step)
    return engine
