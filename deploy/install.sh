#!/usr/bin/env bash
# Installs the kiosk on a Debian 12 or Raspberry Pi OS (bookworm) box with a touch monitor.
# Run as root from a checkout:  sudo deploy/install.sh
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
dest=/opt/elbasan-kiosk

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3 python3-venv cage xwayland x11-xserver-utils fonts-symbola libgl1 libgl1-mesa-dri \
    libegl1 libmtdev1 >/dev/null

id kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/elbasan-kiosk \
    --groups video,input,render,lp,dialout --shell /usr/sbin/nologin kiosk

mkdir -p "$dest" /etc/elbasan-kiosk
cp -a "$src/." "$dest/"
rm -rf "$dest/.venv"
python3 -m venv "$dest/.venv"
"$dest/.venv/bin/pip" install --quiet -e "$dest"   # editable: the code reads assets/ beside it
"$dest/.venv/bin/python" -m kiosk.i18n compile >/dev/null
# bytecode now, as root: the kiosk user cannot write /opt, and an editable install leaves our
# own modules uncompiled, so every start would compile them from source (40 ms on a Xeon core)
"$dest/.venv/bin/python" -m compileall -q "$dest/kiosk" "$dest/sync" "$dest/main.py"

if [ ! -f /etc/elbasan-kiosk/kiosk.toml ]; then
    "$dest/.venv/bin/kiosk" example-config > /etc/elbasan-kiosk/kiosk.toml
    echo "Wrote /etc/elbasan-kiosk/kiosk.toml: set the feed URL, public key, printer and staff PIN."
fi
chown -R root:kiosk /etc/elbasan-kiosk && chmod 0640 /etc/elbasan-kiosk/kiosk.toml

install -m 0644 "$src/deploy/elbasan-kiosk.pam" /etc/pam.d/elbasan-kiosk
install -m 0644 "$src/deploy/elbasan-kiosk.service" /etc/systemd/system/elbasan-kiosk.service
systemctl daemon-reload
systemctl set-default graphical.target
systemctl enable --now elbasan-kiosk.service
echo "The kiosk is running on tty1 and starts at every boot. Logs: /var/lib/elbasan-kiosk/.local/share/elbasan-kiosk/logs/"
