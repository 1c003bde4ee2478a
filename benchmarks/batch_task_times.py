#!/usr/bin/env python3
"""Per-task figures of a finished batch folder, from each pack's manifest.json: time (sum of its
timings_s), reading time and rows read. Used by forces_growth.sh and national/national_batch.sh.
usage: batch_task_times.py BATCH_OUTPUT_DIR"""
import json
import os
import sys

root = sys.argv[1]
per = []
for task in sorted(os.listdir(root)):
    p = os.path.join(root, task, "manifest.json")
    if os.path.isfile(p):
        m = json.load(open(p))
        per.append((sum(m["timings_s"].values()), m["timings_s"]["read"], m["rows"]["read"]))
if not per:
    sys.exit(f"{root}: no finished pack")
s = sorted(x[0] for x in per)
print(f"  {len(per)} packs; per task {s[0]:.2f} .. {s[-1]:.2f} s (median {s[len(s)//2]:.2f}, "
      f"sum {sum(s):.1f}), of which reading {min(x[1] for x in per):.2f} .. "
      f"{max(x[1] for x in per):.2f} s; rows read per task {min(x[2] for x in per)} .. "
      f"{max(x[2] for x in per)}")
