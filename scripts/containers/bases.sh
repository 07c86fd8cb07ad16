#!/usr/bin/env bash
# Builds the base images the Dockerfiles and docker-compose.yml name, from local parts only (no
# image registry is reachable on CI machines):
#   node:<.node-version>-bookworm-slim  Debian bookworm minbase + the official Node binary + npm
#   <docker-compose.yml's redis image>  the same rootfs + Debian's redis-server
# Each image carries a label with the hash of its recipe (this directory and .node-version); an
# image whose label matches is kept, so a second run costs a few seconds. The debootstrap rootfs is
# cached as a tarball under CONTAINERS_CACHE_DIR (default ~/.cache/strangler-containers).
# The Debian mirror is the one apt uses on this machine (DEBIAN_MIRROR overrides).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

NPM_VERSION=11.19.1
SUITE=bookworm
ROOTFS_REV=1            # bump to re-run debootstrap (e.g. to take a Debian point release)
node_version="$(tr -d ' \n\r' <"$root/.node-version")"
node_image="node:${node_version}-${SUITE}-slim"
redis_image="$(sed -nE 's/^ *image: *(redis:[^ #]+).*$/\1/p' "$root/docker-compose.yml" | head -n 1)"
[ -n "$redis_image" ] || { echo "bases: docker-compose.yml names no redis image" >&2; exit 2; }
cache="${CONTAINERS_CACHE_DIR:-$HOME/.cache/strangler-containers}"
recipe="$(cat "$here/bases.sh" "$here/node-base.Containerfile" "$here/redis-base.Containerfile" \
  "$here/redis-entrypoint.sh" "$root/.node-version" | sha256sum | cut -c1-16)"

log() { echo "bases: $*" >&2; }

up_to_date() {
  [ "$(podman image inspect --format '{{ index .Labels "org.strangler.recipe" }}' "$1" 2>/dev/null)" = "$recipe" ]
}

debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Created-By: Packages' 2>/dev/null \
    | awk -v s="$SUITE" '$2 == s { print $1; exit }'
}

rootfs_tar() {
  # Keyed by what debootstrap is asked for, not by the whole recipe: editing a Containerfile
  # rebuilds the images from the cached rootfs (seconds), not the rootfs (a minute or more).
  local tar="$cache/debian-$SUITE-minbase-$ROOTFS_REV.tar"
  if [ ! -s "$tar" ]; then
    local mirror dir
    mirror="$(debian_mirror)"
    [ -n "$mirror" ] || { log "no Debian $SUITE mirror in apt's sources; set DEBIAN_MIRROR"; exit 2; }
    mkdir -p "$cache" && rm -f "$cache"/debian-"$SUITE"-minbase-*.tar
    dir="$(mktemp -d)"
    log "debootstrap --variant=minbase $SUITE from $mirror"
    debootstrap --variant=minbase "$SUITE" "$dir" "$mirror" >"$dir.log" 2>&1 \
      || { tail -n 30 "$dir.log" >&2; rm -rf "$dir" "$dir.log"; exit 1; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/var/log/* "$dir"/tmp/* "$dir.log"
    tar --numeric-owner -C "$dir" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$dir"
  fi
  echo "$tar"
}

build() { # <containerfile> <context> <tag>...
  local file="$1" ctx="$2"; shift 2
  local tags=()
  # The canonical name only: a short name (FROM node:…, image: redis:…) resolves to it, and a
  # second localhost/ tag would keep pointing at the previous build after a rebuild.
  for t in "$@"; do tags+=(-t "docker.io/library/$t"); done
  podman build --format docker --label "org.strangler.recipe=$recipe" -f "$file" "${tags[@]}" "$ctx" >&2
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if up_to_date "$node_image"; then
  log "$node_image is current ($recipe)"
else
  log "building $node_image"
  node_dir="$(dirname "$("$root/scripts/provision-node.sh")")"
  mkdir -p "$work/node/node/bin" "$work/node/node/include"
  ln "$(rootfs_tar)" "$work/node/rootfs.tar" 2>/dev/null || cp "$(rootfs_tar)" "$work/node/rootfs.tar"
  cp "$node_dir/bin/node" "$work/node/node/bin/node"
  cp -r "$node_dir/include/node" "$work/node/node/include/node"
  (cd "$work" && npm pack --silent "npm@$NPM_VERSION" >/dev/null && tar -xzf "npm-$NPM_VERSION.tgz" && mv package "$work/node/npm")
  build "$here/node-base.Containerfile" "$work/node" "$node_image"
fi

if up_to_date "$redis_image"; then
  log "$redis_image is current ($recipe)"
else
  log "building $redis_image"
  mkdir -p "$work/redis"
  ln "$(rootfs_tar)" "$work/redis/rootfs.tar" 2>/dev/null || cp "$(rootfs_tar)" "$work/redis/rootfs.tar"
  cp "$here/redis-entrypoint.sh" "$work/redis/"
  build "$here/redis-base.Containerfile" "$work/redis" "$redis_image"
fi
