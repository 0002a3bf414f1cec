#!/usr/bin/env bash
# Installs the Debian packages freethreading-tidy builds and tests with, and
# only those that are missing: with everything present it does nothing.
# Everything comes from Debian's archive (apt), nothing is downloaded else.
set -euo pipefail

LLVM_VERSION="${FREETHREADING_LLVM_VERSION:-22}"
PACKAGES=(
  "clang-${LLVM_VERSION}" "clang-tidy-${LLVM_VERSION}" "clangd-${LLVM_VERSION}"
  "clang-tools-${LLVM_VERSION}" "clang-format-${LLVM_VERSION}"
  "libclang-${LLVM_VERSION}-dev"
  "llvm-${LLVM_VERSION}-dev" "llvm-${LLVM_VERSION}-tools"
  libgrpc++-dev libprotobuf-dev protobuf-compiler-grpc
  python3-dev python3-dbg cmake ninja-build make
  git pre-commit groff-base
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-deps: these packages are missing and this is not root:" \
         "${missing[*]}" >&2
    echo "install-deps: install them with apt-get as root, then run again" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
