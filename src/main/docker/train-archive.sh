#!/bin/sh
# Trains the class archive that makes the JVM image start fast: the application is started once, its warm-up runs
# (a progressive JPEG and a PNG through decode, render and encode; the object store and Kafka clients created), it is
# stopped, and the JVM writes the archive on exit. On JDK 25+ that is an AOT cache (JEP 483/514: classes loaded and
# linked ahead of time); before, a dynamic AppCDS archive. It runs in the image build, so the archive always matches
# the image's own JVM, and needs no servers: the connections fail fast, their classes are loaded all the same.
# Needs the aot-jar packaging (quarkus.package.jar.type=aot-jar), whose classes the JDK's own loader defines.
#
#   train-archive.sh <application directory> <archive file>     then run: java $(cat <archive file>.options) -jar ...
set -eu
app_dir=$1
archive=$2
cd "$app_dir"
version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${version%%.*}" -ge 25 ]; then
    record="-XX:AOTCacheOutput=$archive"
    use="-XX:AOTCache=$archive"
else
    record="-XX:ArchiveClassesAtExit=$archive"
    use="-XX:SharedArchiveFile=$archive"
fi
log=$(mktemp)
# shellcheck disable=SC2086
java $record -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dquarkus.http.port=0 \
    -Dquarkus.minio.host=127.0.0.1 -Dquarkus.minio.port=9 -Dquarkus.minio.secure=false \
    -Dkafka.bootstrap.servers=127.0.0.1:9 -Dmp.messaging.outgoing.image-renditions.max.block.ms=500 \
    -jar quarkus-run.jar > "$log" 2>&1 &
pid=$!
i=0
until grep -q "warm-up done" "$log"; do
    i=$((i + 1))
    if [ "$i" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
        cat "$log"
        echo "the training run did not finish its warm-up" >&2
        exit 1
    fi
    sleep 0.1
done
kill -TERM "$pid"
wait "$pid" || true
rm -f "$log"
test -s "$archive"
echo "$use -XX:+UseSerialGC -XX:TieredStopAtLevel=1" > "$archive.options"
echo "trained $archive for Java $version: run with $(cat "$archive.options")"
