#!/bin/sh
# Started by elbasan-kiosk.service: Cage on the seat's screen, the kiosk in it through XWayland
# (Kivy's SDL2 has no Wayland video driver; Cage starts XWayland and gives the kiosk DISPLAY).
# -d: no client-side decorations; -s (VT switching) only when KIOSK_ALLOW_VT=1.
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
flags="-d"
if [ "${KIOSK_ALLOW_VT:-0}" = "1" ]; then flags="$flags -s"; fi
export SDL_VIDEODRIVER=x11
# systemd names Cage (this PID after exec) as the one to ping the watchdog; the kiosk, Cage's
# child, is the one that does (NotifyAccess=all in the unit lets its messages in).
unset WATCHDOG_PID
exec /usr/bin/cage $flags -- "$here/.venv/bin/kiosk" "$@"
