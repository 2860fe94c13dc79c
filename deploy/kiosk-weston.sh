#!/bin/sh
# The kiosk under weston's kiosk shell instead of Cage (for boxes whose vendor image ships
# weston): weston makes every window fullscreen on its output and runs the kiosk through
# XWayland. Use it as ExecStart= in place of kiosk-cage.sh. weston 10 starts the kiosk from its
# [autolaunch] section and, with watch=true, exits when the kiosk does, so systemd restarts both.
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
ini="${RUNTIME_DIRECTORY:-${XDG_RUNTIME_DIR:-/tmp}}/kiosk-weston.ini"
cat > "$ini" <<INI
[core]
shell=kiosk-shell.so
xwayland=true
idle-time=0

[autolaunch]
path=$here/.venv/bin/kiosk
watch=true
INI
export SDL_VIDEODRIVER=x11
unset WATCHDOG_PID            # the kiosk pings, not weston (see kiosk-cage.sh)
exec /usr/bin/weston --config="$ini" "$@"
