#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs every `hotspots ...` example of README.md whose inputs ship with the checkout (data/...),
as written, from a fresh working folder holding only a link to data/: the README's examples must
run on a fresh checkout (issue #12). Examples naming files a user would bring (street/,
~/Downloads/..., export.csv, lsoa.gpkg) are listed as not runnable here, never silently passed.

usage: run_readme_examples.py README.md REPO_DIR HOTSPOTS_BINARY
Exit 0 when every runnable example exits 0 (and at least 5 ran), else 1 with what failed."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile


def examples(readme_text):
    """Commands starting with `hotspots ` inside ```sh blocks, continuation lines joined."""
    out = []
    for block in re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme_text, re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            line = line.strip()
            # "$ hotspots ..." transcripts show what a command prints (often an error on
            # purpose), and "hotspots kde: ..." is such a printed message: neither is an example.
            if line.startswith("hotspots ") and not line.split()[1].endswith(":"):
                out.append(line)
    return out


OUTPUT_FLAGS = ("-o", "--output", "--surface", "--hotspots", "--cells", "--clusters", "--zscores",
                "--rejects", "--slurm")


def runnable(tokens, outputs):
    """Every path-like token is shipped (data/...), an output of this example, or written by an
    earlier one."""
    for i, t in enumerate(tokens[1:], start=1):
        if t.startswith("-") or "=" in t and "/" not in t:
            continue
        if tokens[i - 1] in OUTPUT_FLAGS:
            continue
        looks_like_path = "/" in t or re.search(r"\.(csv|zip|gpkg|geojson|json|tif|shp)$", t)
        if not looks_like_path:
            continue
        if t.startswith("data/") or t.startswith("out/"):
            continue
        if any(t == o or t.startswith(o.rstrip("/") + "/") for o in outputs):
            continue
        return False, t
    return True, ""


def main():
    readme, repo, binary = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    text = open(readme, encoding="utf-8").read()
    work = tempfile.mkdtemp(prefix="readme_examples_")
    os.symlink(os.path.join(repo, "data"), os.path.join(work, "data"))
    ran, skipped, failed = 0, [], []
    outputs = []  # files and folders earlier examples wrote (relative names)
    try:
        for command in examples(text):
            # Drop comments and anything after a shell operator (`&& sh submit.sh`, `> file`).
            command = command.split(" #")[0]
            command = re.split(r"\s(?:&&|\|\||\||>)\s", command)[0].strip()
            tokens = shlex.split(command)
            ok, missing = runnable(tokens, outputs)
            if not ok:
                skipped.append((command, missing))
                continue
            argv = [binary] + [os.path.expanduser(t) for t in tokens[1:]]
            r = subprocess.run(argv, cwd=work, capture_output=True, text=True, timeout=600)
            ran += 1
            if r.returncode != 0:
                failed.append((command, r.returncode, r.stderr.strip()[-800:]))
            for i, t in enumerate(tokens):
                if t in OUTPUT_FLAGS and i + 1 < len(tokens):
                    outputs.append(tokens[i + 1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"README examples: {ran} ran, {len(failed)} failed, {len(skipped)} need user files")
    for command, missing in skipped:
        print(f"  not runnable here ({missing}): {command}")
    for command, code, err in failed:
        print(f"FAILED (exit {code}): {command}\n{err}")
    if ran < 5:
        print("too few examples ran: the README parser no longer finds them")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
