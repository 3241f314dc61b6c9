#!/usr/bin/env bash
# Checks the GoReleaser configuration and builds a full snapshot release
# (every target, archives, checksums, the Homebrew cask and the Linux
# packages) into dist/ without publishing anything, then verifies dist/.
#
#   bash scripts/release-check.sh            # check, build, verify
#   bash scripts/release-check.sh --verify   # only verify an existing dist/
#
# GoReleaser is pinned and run through the Go toolchain, so nothing needs to be
# installed first (the first run compiles it: minutes; later runs reuse the
# build cache). GORELEASER overrides the command (e.g. an installed
# goreleaser of the same version); GORELEASER_PARALLELISM the number of
# concurrent builds (GoReleaser's default is the number of CPUs).
#
# The snapshot is compiled without optimizations (BYLINE_SNAPSHOT_GCFLAGS,
# read by .goreleaser.yaml for snapshots only), which cuts a cold build of the
# 8 targets by about a third; RELEASE_CHECK_OPTIMIZE=1 builds them exactly as
# a release does.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${RELEASE_CHECK_OPTIMIZE:-}" = 1 ]; then
  export BYLINE_SNAPSHOT_GCFLAGS=
else
  export BYLINE_SNAPSHOT_GCFLAGS="all=-N -l"
fi

read -ra goreleaser <<<"${GORELEASER:-go run github.com/goreleaser/goreleaser/v2@v2.15.1}"

start=$SECONDS
if [ "${1:-}" != --verify ]; then
  "${goreleaser[@]}" check
  release_args=(release --snapshot --clean)
  if [ -n "${GORELEASER_PARALLELISM:-}" ]; then
    release_args+=(--parallelism "$GORELEASER_PARALLELISM")
  fi
  "${goreleaser[@]}" "${release_args[@]}"
fi

# Verify that dist/ holds everything a release would publish.
fail=0
missing() {
  echo "release-check: missing $*" >&2
  fail=1
}
found=
one() { # one DESCRIPTION GLOB: exactly one file must match; it is left in $found
  local desc=$1 glob=$2
  local matches=()
  found=
  shopt -s nullglob
  # shellcheck disable=SC2206 # the glob is meant to expand
  matches=($glob)
  shopt -u nullglob
  if [ ${#matches[@]} -ne 1 ]; then
    missing "$desc ($glob matched ${#matches[@]} files)"
    return 1
  fi
  found=${matches[0]}
}

for target in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 freebsd_amd64 freebsd_arm64 windows_amd64 windows_arm64; do
  case $target in
    windows_*) ext=zip ;;
    *) ext=tar.gz ;;
  esac
  one "archive for $target" "dist/byline_*_${target}.${ext}" || continue
  archive=$found
  case $ext in
    zip) contents=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$archive") ;;
    *) contents=$(tar -tzf "$archive") ;;
  esac
  bin=byline
  [ "$ext" = zip ] && bin=byline.exe
  for f in "$bin" README.md LICENSE CHANGELOG.md completions/byline.bash completions/_byline completions/byline.fish manpages/byline.1.gz; do
    grep -qx "$f" <<<"$contents" || missing "$f in $archive"
  done
done

one "Homebrew cask" "dist/homebrew/Casks/byline.rb" && {
  cask=$found
  for want in 'cask "byline"' 'binary "byline"' 'manpage "manpages/byline.1.gz"' 'bash_completion "completions/byline.bash"' 'zsh_completion "completions/_byline"' 'fish_completion "completions/byline.fish"'; do
    grep -qF "$want" "$cask" || missing "'$want' in $cask"
  done
}

for arch in amd64 arm64; do
  case $arch in
    amd64) deb=amd64 rpm=x86_64 apk=x86_64 arch_pkg=x86_64 ;;
    arm64) deb=arm64 rpm=aarch64 apk=aarch64 arch_pkg=aarch64 ;;
  esac
  one "deb package ($arch)" "dist/byline_*_${deb}.deb" || true
  one "rpm package ($arch)" "dist/byline-*.${rpm}.rpm" || true
  one "apk package ($arch)" "dist/byline_*_${apk}.apk" || true
  one "archlinux package ($arch)" "dist/byline-*-${arch_pkg}.pkg.tar.zst" || true
done

one "checksums" "dist/checksums.txt" || true

if [ "$fail" -ne 0 ]; then
  echo "release-check: dist/ is incomplete" >&2
  ls -l dist >&2 || true
  exit 1
fi
echo "release-check: ok: 8 archives, cask, deb/rpm/apk/archlinux packages, checksums ($((SECONDS - start))s)"
