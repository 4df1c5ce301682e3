#!/usr/bin/env bash
# Lays out a GraalVM-like home for `./mvnw package -Dnative` where no GraalVM or Mandrel is installed (see README.md):
#   <home>/bin/native-image   the driver (NativeImage.java), which Quarkus calls as it would GraalVM's
#   <home>/jdk                a copy of the JDK 25 that runs the builder, with the builder's helper library added
#   <home>/jars               GraalVM's builder jars (org.graalvm.nativeimage:svm 25.0.2), copied there by Maven
#   <home>/clib, <home>/stubs the C libraries the builder links with, and the stand-ins of the JDK's static libraries
# usage: layout.sh <home> <JDK 25 directory>
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
HOME_DIR=$1
JDK=$2
if [ ! -x "$JDK/bin/java" ] || ! "$JDK/bin/java" -version 2>&1 | grep -q 'version "25'; then
  echo "native builder: no JDK 25 at $JDK; install one (Temurin 25) and pass -Dnative.builder.jdk=<its directory>" >&2
  exit 1
fi
for tool in gcc ar; do
  command -v $tool >/dev/null || { echo "native builder: $tool is needed to link the executable (Debian: build-essential)" >&2; exit 1; }
done
[ -e /usr/lib/x86_64-linux-gnu/libz.a ] || [ -e /usr/lib/libz.a ] || \
  { echo "native builder: zlib's static library is needed to link the executable (Debian: zlib1g-dev)" >&2; exit 1; }

mkdir -p "$HOME_DIR/bin" "$HOME_DIR/lib" "$HOME_DIR/stubs"
if [ ! -x "$HOME_DIR/jdk/bin/java" ]; then
  rm -rf "$HOME_DIR/jdk.tmp"
  cp -a "$JDK" "$HOME_DIR/jdk.tmp"
  mkdir -p "$HOME_DIR/jdk.tmp/lib/svm/builder/lib"
  cp "$HERE/builder-lib/libreporterchelper.so" "$HOME_DIR/jdk.tmp/lib/svm/builder/lib/"
  mv "$HOME_DIR/jdk.tmp" "$HOME_DIR/jdk"
fi
echo "$JDK" > "$HOME_DIR/runtime-jdk"
cp "$HERE/native-image" "$HOME_DIR/bin/native-image"
cp "$HERE/NativeImage.java" "$HOME_DIR/lib/"
cp "$HERE/exports.args" "$HOME_DIR/"
rm -rf "$HOME_DIR/clib" && cp -r "$HERE/clib" "$HOME_DIR/clib"

# stand-ins of the JDK's static libraries: the executable links Temurin's shared ones instead (README.md)
INCLUDE="-I$JDK/include -I$JDK/include/linux"
for stub in java extnet jaas management_ext; do
  gcc -c -O2 -fPIC $INCLUDE "$HERE/stubs/$stub.c" -o "$HOME_DIR/stubs/$stub.o"
  rm -f "$HOME_DIR/stubs/lib$stub.a" && ar rcs "$HOME_DIR/stubs/lib$stub.a" "$HOME_DIR/stubs/$stub.o"
done
for empty in nio net zip; do
  printf '!<arch>\n' > "$HOME_DIR/stubs/lib$empty.a"
done
"$HOME_DIR/bin/native-image" --version
