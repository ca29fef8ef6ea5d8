#!/usr/bin/env bash
# Builds what the cgroup v2 VM test boots (src/test/java/jocker/it/CgroupV2VmIT.java),
# into target/vm/, once: a second call finds it there and does nothing.
#
#   target/vm/vmlinuz         Debian 12's own kernel (linux-image-amd64), taken
#                             out of the package with dpkg-deb: nothing is
#                             installed on this machine
#   target/vm/initramfs.gz    busybox, the kernel modules the guest needs
#                             (virtio, 9p, overlay) and src/test/vm/initramfs-init
#
# The guest has no disk image: its root filesystem is this machine's own, a
# Debian 12 system with the JDK and the built jocker, shared read-only over
# 9p (see initramfs-init). Building a separate image (debootstrap plus a JRE)
# would download and unpack ~150 MB more on every clean CI clone for the same
# Debian packages.
set -euo pipefail

home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)
out=$home/target/vm
if [[ -f $out/vmlinuz && -f $out/initramfs.gz && $out/initramfs.gz -nt $home/src/test/vm/initramfs-init ]]; then
    exit 0
fi
[[ -x /bin/busybox ]] || { echo "build-image.sh: /bin/busybox is missing (apt-get install busybox-static)" >&2; exit 1; }

work=$out/work
rm -rf "$work"
mkdir -p "$work/deb"

# The kernel package linux-image-amd64 points at today (linux-image-6.1.0-N-amd64).
package=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ { print $2; exit }')
[[ -n $package ]] || { echo "build-image.sh: apt-cache knows no linux-image-amd64 (apt-get update?)" >&2; exit 1; }
# (Sandbox user root: apt's own user may not write into this checkout.) Stale
# package lists name a version the mirror no longer has: update, try again.
download() {
    (cd "$work/deb" && apt-get download -q -o APT::Sandbox::User=root "$package")
}
download || { apt-get update -q && download; }
deb=$(ls "$work/deb"/*.deb)
# Only the kernel and the few directories of modules the guest loads.
mkdir -p "$work/kernel"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/kernel" --wildcards './boot/vmlinuz-*' \
    './lib/modules/*/kernel/drivers/virtio/*' './lib/modules/*/kernel/net/9p/*' './lib/modules/*/kernel/fs/*'
modules=$(ls -d "$work/kernel/lib/modules"/*)

# The initramfs: busybox and its applets, the modules, and the init script.
root=$work/initramfs
mkdir -p "$root"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$root/bin/busybox"
for applet in sh mount umount insmod switch_root mkdir cat echo sleep poweroff; do
    ln -s busybox "$root/bin/$applet"
done
# In the order they depend on one another (the package has no modules.dep: depmod makes it on install).
for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
        netfs fscache 9pnet 9pnet_virtio 9p overlay; do
    cp "$(find "$modules" -name "$module.ko" | head -1)" "$root/modules/$module.ko"
    echo "$module" >> "$root/modules/order"
done
install -m 0755 "$home/src/test/vm/initramfs-init" "$root/init"
(cd "$root" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$work/initramfs.gz"

cp "$(ls "$work/kernel/boot"/vmlinuz-*)" "$out/vmlinuz"
mv "$work/initramfs.gz" "$out/initramfs.gz"
basename "$deb" > "$out/kernel-package"
rm -rf "$work"
echo "build-image.sh: $out/vmlinuz ($(cat "$out/kernel-package")) and initramfs.gz"
