"""The ``[speech]`` section: defaults, the keypad's key map, and errors that name file, key and fix."""
from __future__ import annotations

import textwrap

import pytest

from kiosk import i18n
from kiosk.config import ConfigError, load_config
from kiosk.speech.keys import KeyMap


@pytest.fixture
def env(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    return {"KIOSK_DATA_DIR": str(data)}


@pytest.fixture
def english():
    i18n.translator.switch("en")
    yield
    i18n.translator.switch("sq")


def load(tmp_path, env, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path, load_config(path, env=env)


def error(tmp_path, env, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, env=env)
    assert len(info.value.messages) == 1, info.value.messages
    return path, str(info.value)


def test_defaults(tmp_path, env):
    _path, config = load(tmp_path, env, "")
    speech = config.speech
    assert (speech.enabled, speech.rate, speech.volume, speech.device, speech.keys) == (
        True, "normal", 3, "default", {})
    assert (speech.rate_step, speech.volume_step) == (1, 2)   # the engine's DEFAULT_RATE, DEFAULT_VOLUME


def test_a_key_map_replaces_the_keys_of_the_actions_it_names(tmp_path, env):
    _path, config = load(tmp_path, env, """
        [speech]
        rate = "slow"
        volume = 5
        [speech.keys]
        help = ["f1"]
        repeat = "numpad3"
    """)
    assert config.speech.keys == {"help": ("f1",), "repeat": ("numpad3",)}
    keys = KeyMap(config.speech.keys)
    assert keys.action("f1") == "help" and keys.action("numpaddecimal") is None
    assert keys.action(259) == "repeat" and keys.action(263) is None
    assert (config.speech.rate_step, config.speech.volume_step) == (0, 4)


@pytest.mark.parametrize("body, expected", [
    ('[speech]\nrate = "quick"', 'speech.rate: found "quick", expected one of: slow, normal, fast.'),
    ("[speech]\nvolume = 9", "speech.volume: found 9, expected a whole number from 1 to 5."),
    ('[speech]\nenabled = "yes"', 'speech.enabled: found "yes", expected true or false.'),
    ('[speech]\ndevice = ""', 'speech.device: found "", expected text that is not empty.'),
    ('[speech.keys]\njump = ["f1"]', 'speech.keys: found the action "jump", expected one of: up, down, '
     "activate, back, help, home, louder, softer, faster, slower, repeat, pause, previous_section, "
     "next_section, quick_exit."),
    ('[speech.keys]\nhelp = ["f13"]', 'speech.keys: found the key "f13" for help, expected key names from: '
     "backspace, down, enter"),
    ('[speech.keys]\nhelp = ["numpad5"]', 'speech.keys: the key "numpad5" is given to both activate and '
     "help; give each key to one action."),
    ('[speech.keys]\nrepeat = ["numpad6"]\nnext_section = ["numpad6"]', 'speech.keys: the key "numpad6" is '
     "given to both repeat and next_section; give each key to one action."),
    ('[speech.keys]\nnext_section = ["hyper"]', 'speech.keys: found the key "hyper" for next_section, '
     "expected key names from: backspace, down, enter"),
    ("[speech.keys]\nhelp = [5]", 'speech.keys: the keys of help must be a list of key names in quotes, '
     'for example ["numpad5", "enter"].'),
    ("[speech]\nkeys = 3", "speech.keys: found 3, expected a table"),
    ("[speech]\nvoice = 3", "speech.voice: unknown key"),
])
def test_bad_values_name_the_file_the_key_and_the_fix(tmp_path, env, english, body, expected):
    path, message = error(tmp_path, env, body)
    assert message.startswith(f"{path}: {expected}"), message


def test_errors_are_albanian_by_default(tmp_path, env):
    path, message = error(tmp_path, env, '[speech.keys]\nhelp = ["numpad5"]')
    assert message == (f'{path}: speech.keys: tasti "numpad5" u është dhënë edhe activate edhe help; '
                       "jepini çdo tast një veprimi të vetëm.")


def test_environment_overrides(tmp_path, env):
    env = dict(env, KIOSK__SPEECH__ENABLED="false", KIOSK__SPEECH__VOLUME="2")
    _path, config = load(tmp_path, env, "")
    assert config.speech.enabled is False and config.speech.volume == 2


def test_a_config_written_before_the_section_keys_still_starts(tmp_path, env):
    """4 and 6 were free before they jumped by section: a kiosk that gave 4 to "repeat" keeps it."""
    _path, config = load(tmp_path, env, '[speech.keys]\nrepeat = ["numpad4"]')
    keys = KeyMap(config.speech.keys)
    assert keys.action("numpad4") == "repeat" and keys.action("left") == "previous_section"
