"""The engine for real: espeak-ng's audio, measured; cancel, pause and a missing engine or device."""
from __future__ import annotations

import argparse
import logging
import math
import os
import time
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.speech import cli
from kiosk.speech import engine as eng
from kiosk.speech.parts import Part

LONG = Part("Qendra e Informacionit për Shërbimet Sociale, Bashkia Elbasan. " * 40, "sq")


def measure(path: Path) -> tuple[float, float]:
    """(seconds, RMS relative to full scale) of a 16-bit mono WAV."""
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        samples = array("h", wav.readframes(wav.getnframes()))
        seconds = wav.getnframes() / wav.getframerate()
    rms = math.sqrt(sum(s * s for s in samples) / max(1, len(samples))) / 32768
    return seconds, rms


def speak_cli(tmp_path, monkeypatch, capsys, *argv) -> tuple[int, str, str]:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    parser = argparse.ArgumentParser()
    cli.add_parser(parser.add_subparsers(dest="command"))
    code = cli.run(parser.parse_args(["speak", *argv]), load_config(None))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("lang", ("sq", "en"))
def test_kiosk_speak_writes_a_service_as_audible_speech_that_fits_the_text(
        espeak, tmp_path, monkeypatch, capsys, lang):
    wav = tmp_path / f"service-{lang}.wav"
    code, text, _ = speak_cli(tmp_path, monkeypatch, capsys, "--screen", "service", "--lang", lang,
                              "--wav", str(wav))
    assert code == 0 and len(text) > 500
    seconds, rms = measure(wav)
    assert rms > 0.02, "silent"
    assert 5 <= len(text) / seconds <= 25, f"{len(text)} characters in {seconds:.1f} s"


@pytest.mark.parametrize("lang", ("sq", "en"))
def test_kiosk_speak_reads_urgent_help_with_numbers_to_dial(espeak, tmp_path, monkeypatch, capsys, lang):
    wav = tmp_path / f"urgent-{lang}.wav"
    code, text, _ = speak_cli(tmp_path, monkeypatch, capsys, "--screen", "urgent", "--lang", lang,
                              "--wav", str(wav))
    assert code == 0
    assert {"sq": "Numri: një dy nëntë.", "en": "Number: one two nine."}[lang] in text
    seconds, rms = measure(wav)
    assert rms > 0.02 and 5 <= len(text) / seconds <= 25, f"{len(text)} characters in {seconds:.1f} s"


def test_kiosk_speak_reads_the_help_of_the_configured_keys(espeak, tmp_path, monkeypatch, capsys):
    """``kiosk speak --screen help`` on a kiosk whose config moved the quick exit to 9 (and
    pause to 3) and took repeat away: the help a staff member checks is the kiosk's own."""
    monkeypatch.setenv("KIOSK__SPEECH__KEYS", '{quick_exit = ["numpad9"], pause = ["numpad3"], repeat = []}')
    wav = tmp_path / "help-en.wav"
    code, text, _ = speak_cli(tmp_path, monkeypatch, capsys, "--screen", "help", "--lang", "en", "--wav", str(wav))
    assert code == 0
    assert "Press nine to leave at once, silently" in text and "Press three to pause or go on" in text
    assert "seven" not in text and "repeat" not in text
    seconds, rms = measure(wav)
    # the help says every key, but a visitor must be able to sit through it
    assert rms > 0.02 and 30 <= seconds <= 75 and 5 <= len(text) / seconds <= 25, f"{len(text)} in {seconds:.1f} s"


def test_kiosk_speak_refuses_an_unknown_id(tmp_path, monkeypatch, capsys):
    code, out, err = speak_cli(tmp_path, monkeypatch, capsys, "--screen", "service", "--id", "no-such-id")
    assert code == 1 and out == ""
    assert "no-such-id" in err


def children(names: tuple[str, ...]) -> list[int]:
    """Pids of this process's children running one of ``names``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and any(n in cmdline for n in names):
            found.append(int(entry))
    return found


def wait_for(predicate, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.005)
    return False


def played(counter: Path) -> int:
    try:
        return int(counter.read_text() or 0)
    except (OSError, ValueError):
        return 0


def test_speech_streams_and_stop_silences_it_within_100_ms(espeak, paced_sink):
    player, counter = paced_sink
    events = []
    engine = eng.EspeakEngine(player=player, listener=lambda name, n: events.append(name))
    assert engine.status().available
    engine.speak([LONG])
    assert wait_for(lambda: played(counter) > 22050)          # half a second has played
    assert engine.status().speaking
    start = time.perf_counter()
    engine.stop()
    assert wait_for(lambda: not children(("espeak-ng", "paced_sink")), 0.1), "still playing"
    stopped = time.perf_counter() - start
    heard = played(counter)
    time.sleep(0.3)
    assert played(counter) == heard and not engine.status().speaking
    assert stopped < 0.1
    assert wait_for(lambda: "stopped" in events) and events[:2] == ["started", "audio"]
    engine.close()


def test_pause_holds_the_audio_and_resume_goes_on(espeak, paced_sink):
    player, counter = paced_sink
    engine = eng.EspeakEngine(player=player)
    engine.speak([LONG])
    assert wait_for(lambda: played(counter) > 11025)
    engine.pause()
    time.sleep(0.1)
    held = played(counter)
    time.sleep(0.4)
    assert played(counter) == held and engine.status().paused
    engine.resume()
    assert wait_for(lambda: played(counter) > held + 11025, 2.0)
    engine.stop()
    engine.close()


def test_a_new_utterance_interrupts_and_repeat_and_reset(espeak, paced_sink):
    player, counter = paced_sink
    events = []
    engine = eng.EspeakEngine(player=player, listener=lambda name, n: events.append((name, n)))
    engine.speak([LONG])
    assert wait_for(lambda: ("audio", 1) in events)
    engine.speak("Hapur tani.", "sq")
    assert wait_for(lambda: ("finished", 2) in events)
    assert ("stopped", 1) in events and ("finished", 1) not in events
    engine.set_volume(4)
    engine.set_rate(0)
    engine.repeat()
    assert wait_for(lambda: ("finished", 3) in events)
    assert (engine.status().volume, engine.status().rate) == (4, 0)
    engine.reset()
    status = engine.status()
    assert (status.volume, status.rate, status.speaking) == (eng.DEFAULT_VOLUME, eng.DEFAULT_RATE, False)
    engine.repeat()                 # nothing left to repeat for the next visitor
    time.sleep(0.2)
    assert ("started", 4) not in events
    engine.close()


def test_volume_steps_are_3_db_apart(espeak):
    engine = eng.EspeakEngine(probe=False).probe_voices()
    levels = []
    for step in range(len(eng.GAINS_DB)):
        engine.set_volume(step)
        _, pcm = engine.synthesise("Dëgjo", "sq")
        samples = array("h", pcm)
        levels.append(20 * math.log10(math.sqrt(sum(s * s for s in samples) / len(samples))))
    steps = [b - a for a, b in zip(levels, levels[1:])]
    assert all(2.5 < s < 3.5 for s in steps), steps


def test_a_missing_engine_disables_speech_with_one_log_line(caplog):
    with caplog.at_level(logging.WARNING, logger="kiosk.speech.engine"):
        engine = eng.EspeakEngine(binary="espeak-ng-not-installed")
    status = engine.status()
    assert not status.available and status.reason == eng.NO_ENGINE
    assert status.message("sq") == "Zëri është i fikur: espeak-ng nuk është i instaluar."
    assert len(caplog.records) == 1
    engine.speak("Tani.")      # never raises, says nothing
    engine.pause(), engine.resume(), engine.repeat(), engine.stop(), engine.reset()
    assert not engine.status().speaking


def test_a_missing_sound_device_disables_speech(espeak, caplog):
    with caplog.at_level(logging.WARNING, logger="kiosk.speech.engine"):
        engine = eng.EspeakEngine(device="no_such_sound_card")
    status = engine.status()
    assert status.reason == eng.NO_DEVICE and not status.available
    assert "no sound device" in status.detail and status.voices == ("sq", "en")
    assert status.message("en") == "Speech is off: no sound device answers."
    assert len(caplog.records) == 1
    engine.speak("Hello.", "en")
    assert not engine.status().speaking


def test_first_chunk_latency(espeak, capsys):
    """speak() -> first audio chunk written to ALSA (its null device here): the figure in
    docs/speech.md."""
    engine = eng.EspeakEngine(device="null")
    assert engine.status().available
    for n in range(1, 31):
        engine.speak("Pagesa për personat me aftësi të kufizuara. Hapur tani.", "sq")
        assert wait_for(lambda: len(engine.latencies) == n and not engine.status().speaking, 2)
    median, p95 = engine.latency()
    with capsys.disabled():
        print(f"\nspeech: speak() to first chunk median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    assert p95 < 0.5
    engine.close()


def test_memory_the_engine_adds(espeak, paced_sink, capsys):
    """The peak resident memory of espeak-ng and the player while a long text plays; the
    kiosk's own process only gains a thread."""
    player, counter = paced_sink
    engine = eng.EspeakEngine(player=player)
    engine.speak([LONG])
    assert wait_for(lambda: played(counter) > 22050)
    peaks = {}
    for pid in children(("espeak-ng", "paced_sink")):
        status = Path(f"/proc/{pid}/status").read_text()
        name = "espeak-ng" if "espeak-ng" in Path(f"/proc/{pid}/cmdline").read_text() else "player"
        peaks[name] = int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1])
    engine.stop()
    engine.close()
    with capsys.disabled():
        print(f"\nspeech: peak RSS espeak-ng {peaks['espeak-ng'] / 1024:.1f} MiB")
    assert set(peaks) == {"espeak-ng", "player"} and peaks["espeak-ng"] < 64 * 1024
