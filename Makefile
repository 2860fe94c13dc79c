# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make run    create .venv, install, build translations, start the kiosk on the sample catalogue
#   make test   the same environment plus test tools and Xvfb, then the whole suite
PYTHON      ?= python3
VENV        ?= .venv
PY          := $(VENV)/bin/python
KIOSK_ARGS  ?= --windowed
XVFB        := xvfb-run -a -s "-screen 0 1920x1080x24"
# System packages: what Kivy needs under a virtual screen (the Kivy wheel bundles SDL2 itself),
# Debian's Chromium for the web admin's browser tests, espeak-ng and ALSA for speech (sox to
# measure it), X and Wayland tools for the full-screen tests (xrandr, import, weston, XWayland),
# Symbola for characters the UI font lacks (emoji), and PostgreSQL and nginx, which the server tests
# start themselves as an unprivileged user in temporary directories (the packages' own services
# are not needed), and minisign, to check that our feed signatures and keys are minisign's own.
SYSDEPS     := xvfb xauth libgl1 libgl1-mesa-dri libegl1 libmtdev1 chromium \
               espeak-ng alsa-utils sox x11-utils x11-xserver-utils imagemagick weston xwayland \
               fonts-symbola postgresql nginx minisign

.PHONY: run test bench stress translations bytecode sysdeps screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(PY) -m kiosk.i18n compile

# Our own modules as bytecode: the install is editable, so pip compiles none of them, and a
# start that compiles them from source (PYTHONDONTWRITEBYTECODE, or a user who cannot write the
# checkout) spends 40 ms of its cold start on it here, more on a Raspberry Pi. Up-to-date files
# are skipped; a stale one is only recompiled in memory, so editing is safe.
bytecode: $(VENV)/.installed
	$(PY) -m compileall -q kiosk sync main.py

sysdeps:
	@.ci/ensure-sysdeps $(SYSDEPS)

run: $(VENV)/.installed translations bytecode
	@.ci/ensure-sysdeps --quiet-if-present libgl1 libmtdev1 || true
	$(PY) main.py $(KIOSK_ARGS)

# The server suite runs twice: on SQLite with everything else, then on a real PostgreSQL (all
# but the tests marked one_engine, which do not depend on the database engine). TEST_WORKERS
# processes share the tests a file at a time (pytest-xdist; TEST_WORKERS=0 runs them in this one),
# each with its own servers, temporary directories and Kivy window; the 15 slowest are named.
TEST_WORKERS ?= 2
XDIST       := -n $(TEST_WORKERS) --dist loadfile --durations=15
test: $(VENV)/.installed translations bytecode sysdeps
	$(XVFB) $(PY) -m pytest $(XDIST) $(PYTEST_ARGS)
	KIOSK_TEST_DATABASE=postgresql $(XVFB) $(PY) -m pytest tests/server $(XDIST) \
	    -m 'not bench and not stress and not one_engine' $(PYTEST_ARGS)

# Figures at 1k, 10k and 100k services (BENCH_SIZES=1000,10000 for fewer), printed as one table and
# written to bench-results/results.{txt,json}; built databases are cached in bench-results.
bench: $(VENV)/.installed translations bytecode sysdeps
	@start=$$(date +%s); \
	$(XVFB) $(PY) -m pytest -m bench -s -p no:cacheprovider --timeout 0 tests/bench $(PYTEST_ARGS); \
	status=$$?; echo "make bench: $$(( $$(date +%s) - start )) s wall time"; exit $$status

stress: $(VENV)/.installed translations bytecode sysdeps
	$(XVFB) $(PY) -m pytest -m stress $(PYTEST_ARGS)

# The screens on the sample catalogue plus three services "from another system" (an http:
# website, a 480-character name, an emoji in an NGO's name; assets/sample/screenshot_extras.py):
# the usual set at 1920x1080 in docs/screenshots, then every screen at every panel size in
# build/screenshots, with six of them (welcome, home, category, service, search, urgent: LARGE_SCREENS
# in kiosk/ui/screenshots.py) again at the largest text, *-large-WxH.png, which --check adds (all
# checked for cut text and for what must stay in view), and a few of those, compressed, for the README.
SHOT_SIZES  := 800x480 1024x600 1280x720 1280x800 1366x768 1920x1080 3840x2160 720x1280 1080x1920
SHOT_DATA   := build/screenshots-data
GALLERY     := home-sq-800x480 service-sq-800x480 service-sq-1280x720 category-long-sq-1280x800 \
               service-sq-1080x1920 service-http-site-sq-1366x768 service-sq-1366x768 \
               speech-search-sq-800x480 speech-search-sq-720x1280 speech-search-empty-sq-720x1280 \
               urgent-sq-large-1366x768 service-sq-large-1366x768 category-sq-large-1366x768 \
               home-sq-1080x1920
screenshots: $(VENV)/.installed translations bytecode sysdeps
	rm -rf $(SHOT_DATA) build/screenshots && mkdir -p $(SHOT_DATA) docs/screenshots/sizes
	$(PY) assets/sample/screenshot_extras.py $(SHOT_DATA)/feed.json
	KIOSK_DATA_DIR=$(SHOT_DATA) $(PY) main.py load-feed $(SHOT_DATA)/feed.json
	KIOSK_DATA_DIR=$(SHOT_DATA) $(XVFB) $(PY) main.py screenshots docs/screenshots
	KIOSK_DATA_DIR=$(SHOT_DATA) $(XVFB) $(PY) main.py screenshots build/screenshots --check \
	    $(foreach size,$(SHOT_SIZES),--size $(size))
	KIOSK_DOC_SHOTS=1 $(XVFB) $(PY) -m pytest -q tests/ui/test_feedback_ui.py
	for shot in $(GALLERY); do \
	    convert build/screenshots/$$shot.png -resize '640x640>' -colors 128 PNG8:docs/screenshots/sizes/$$shot.png; done

clean:
	rm -rf $(VENV) build *.egg-info
	find . -name '*.mo' -delete
