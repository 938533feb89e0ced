#!/usr/bin/env bash
# Coverage-guided fuzzing of the request parser and chunked decoder (docs/fuzzing.md).
#
#   tests/Sake.Fuzzing/fuzz.sh                  # 600 s
#   FUZZ_SECONDS=3600 tests/Sake.Fuzzing/fuzz.sh
#
# Builds the harness into artifacts/fuzz, instruments Sake.Runtime.dll there with sharpfuzz (AFL edge coverage),
# and runs afl-fuzz on one core for FUZZ_SECONDS from the seed corpus. Prints execs, corpus and coverage,
# crashes and hangs; replays every crash and hang outside AFL; exits 1 when one reproduces.
# Installs afl++ (apt) and the SharpFuzz.CommandLine tool (into artifacts/fuzz/tools) when missing.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${FUZZ_SECONDS:-600}"
work="${FUZZ_WORK:-$root/artifacts/fuzz}"
bin="$work/bin"
findings="$work/findings"
tools="$work/tools"

if ! command -v afl-fuzz >/dev/null; then
    echo "afl-fuzz not found; installing afl++ (Debian/Ubuntu)"
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get install -y afl++ || { $sudo_cmd apt-get update && $sudo_cmd apt-get install -y afl++; }
fi

if [ ! -x "$tools/sharpfuzz" ]; then
    dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0
fi

# A fresh output folder every time: sharpfuzz rewrites the DLL in place and refuses an instrumented one, and an
# incremental build would not copy a clean one over a newer instrumented file.
rm -rf "$bin"
dotnet build "$here/Sake.Fuzzing.csproj" -c Release -o "$bin" -nologo -v quiet
# Only what the harness drives is instrumented (parser, target canonicalizer, chunked decoder, query lookup):
# coverage elsewhere in the runtime (routing, hosting) is noise to AFL, and is never reached by the harness anyway.
"$tools/sharpfuzz" "$bin/Sake.Runtime.dll" Sake.Http.Parsing Sake.Http.Bodies Sake.Http.Rejections Sake.Http.QueryStringParser

if [ "${FUZZ_RESUME:-0}" = 1 ] && [ -d "$findings/default" ]; then
    input="-"
else
    rm -rf "$findings"
    input="$here/corpus"
fi

mkdir -p "$findings"
echo "afl-fuzz for ${seconds}s; findings in $findings"
# The target is dotnet, not an AFL-compiled binary (SKIP_BIN_CHECK); SharpFuzz's in-process fork-server loop
# keeps the runtime warm between inputs. One core, no CPU pinning: the machine may be shared.
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 \
AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1 AFL_QUIET=1 \
    afl-fuzz -i "$input" -o "$findings" -x "$here/http.dict" -t 5000 -m none -V "$seconds" \
    -- dotnet "$bin/Sake.Fuzzing.dll" > "$work/afl.log" 2>&1 || { tail -40 "$work/afl.log"; exit 2; }

stats="$findings/default/fuzzer_stats"
stat() { sed -n "s/^$1 *: *//p" "$stats"; }
echo "run_time=$(stat run_time)s execs_done=$(stat execs_done) execs_per_sec=$(stat execs_per_sec)"
echo "corpus_count=$(stat corpus_count) bitmap_cvg=$(stat bitmap_cvg) edges_found=$(stat edges_found) total_edges=$(stat total_edges)"
echo "saved_crashes=$(stat saved_crashes) saved_hangs=$(stat saved_hangs)"

failed=0
shopt -s nullglob
crashes=("$findings"/default/crashes/id:*)
hangs=("$findings"/default/hangs/id:*)
if [ ${#crashes[@]} -gt 0 ]; then
    echo "== crashes (replayed) =="
    dotnet "$bin/Sake.Fuzzing.dll" --replay "${crashes[@]}" || true
    failed=1
fi

for hang in "${hangs[@]}"; do
    # AFL's 5 s limit can trip on a loaded machine; a hang counts only when it reproduces outside AFL.
    if ! timeout 20 dotnet "$bin/Sake.Fuzzing.dll" --replay "$hang"; then
        echo "hang reproduces: $hang"
        failed=1
    fi
done

exit $failed
