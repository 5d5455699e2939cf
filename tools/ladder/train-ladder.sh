#!/bin/sh
# Trains the whole tiny ladder on two cores: the corpora, then two queues of
# rungs (one thread each, balanced by cost), then a second seed of the two
# rungs either side of the copying threshold for the card's seed spread.
# Every rung checkpoints as it goes: run this again after a stop and it resumes.
#
#   sh tools/ladder/train-ladder.sh        # ~75 min on 2 cores; logs in tools/ladder/out/
set -e
cd "$(dirname "$0")"
PY=${PYTHON:-/usr/bin/python3}
npx tsx corpus.ts --mixture short --bytes 10000000 --out out/short.txt --probes out/probes.jsonl
npx tsx corpus.ts --mixture full --bytes 6000000 --out out/full.txt
( $PY train.py --rungs tiny-7,tiny-1,tiny-2,tiny-3,tiny-4 && $PY train.py --seed 1 --rungs tiny-3 ) > out/queue-a.log 2>&1 &
A=$!
( $PY train.py --rungs tiny-5,tiny-6 && $PY train.py --seed 1 --rungs tiny-4 ) > out/queue-b.log 2>&1 &
B=$!
wait $A
wait $B
cd ../.. && npx tsx tools/ladder/write-ladder.ts
# The card reads the training curves from the package (out/ is not committed).
mkdir -p packages/ladder-tiny/curves && cp tools/ladder/out/curves/*.jsonl packages/ladder-tiny/curves/
