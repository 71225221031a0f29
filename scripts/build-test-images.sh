#!/usr/bin/env bash
# Builds the images the agent's Docker tests and benchmark use, without a registry:
#   berth/busybox:test     busybox (Debian's busybox-static) with every applet linked in /bin
#   berth/testserver:test  busybox httpd serving /www on 8080 (index.html and a /ready file)
# Idempotent and fast when the images exist (FORCE=1 rebuilds). Needs a running engine and
# /bin/busybox (scripts/install-test-deps.sh installs busybox-static).
set -euo pipefail

if [ "${FORCE:-0}" != 1 ] && docker image inspect berth/busybox:test berth/testserver:test >/dev/null 2>&1; then
  exit 0
fi
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" 2>/dev/null | grep -q static; then
  busybox=/bin/busybox
fi
[ -x "$busybox" ] || { echo "build-test-images: no static busybox; run scripts/install-test-deps.sh" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/tmp" "$work/rootfs/etc" "$work/rootfs/www"
cp "$busybox" "$work/rootfs/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$work/rootfs/bin/$applet"
done
chmod 1777 "$work/rootfs/tmp"
echo 'root:x:0:0:root:/:/bin/sh' > "$work/rootfs/etc/passwd"
echo 'root:x:0:' > "$work/rootfs/etc/group"
tar -C "$work/rootfs" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - berth/busybox:test >/dev/null

cat > "$work/Dockerfile" <<'DOCKERFILE'
FROM berth/busybox:test
RUN mkdir -p /www && echo 'hello from berth/testserver' > /www/index.html && echo ok > /www/ready
EXPOSE 8080
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
DOCKERFILE
if ! out=$(docker build -q -t berth/testserver:test "$work" 2>&1); then echo "$out" >&2; exit 1; fi
echo "built berth/busybox:test and berth/testserver:test"
