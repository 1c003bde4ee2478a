#!/usr/bin/env bash
# `hotspots batch --slurm` on a real single-node Slurm (issue #13): the test starts munged,
# slurmctld and slurmd (Debian slurm-wlm + munge) on 127.0.0.1 from a private temporary folder
# (slurm.conf, munge key and socket, state, spool, logs: nothing under /etc or /var), submits
# data/plans/sample_districts.json (9 tasks) with the generated submit.sh, waits for the task array
# and the afterany gather job, runs the same plan locally (-j 2), and checks that
#   - every task's pack exists in both runs, each Slurm pack's files hash to its manifest,
#   - each pack's manifest.json "outputs" (path -> sha256) is equal between Slurm and local,
#   - the gather job's index.csv lists the 9 tasks, all done.
# Every daemon it started is stopped on every exit path (trap EXIT); jobs still queued are
# cancelled first. Bounded: ~30 s to start, 200 s for the jobs.
# usage: [PLAN=plan.json] slurm_batch_test.sh HOTSPOTS_BINARY SOURCE_DIR (benchmarks/forces_batch.sh
#   runs it on the 8 real forces)
#   env KEEP_TMP=1 keeps the temporary folder (logs, packs) after the daemons are stopped.
# exit: 0 equal, 1 a difference or a failure, 77 skipped (Slurm or munge not installed, and $CI
#   unset; in CI a missing Slurm is a failure: .ci/run installs slurm-wlm and munge).
set -uo pipefail
HOTSPOTS=$(realpath "$1")
SRC=$(realpath "$2")
PLAN=${PLAN:-data/plans/sample_districts.json}  # env PLAN: another plan (absolute paths)
JOB_WAIT_S=${JOB_WAIT_S:-200}

PATH="$PATH:/usr/sbin:/sbin"
missing=()
for tool in munged mungekey slurmctld slurmd sbatch squeue sinfo scancel python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ -n "${CI:-}" ]; then
    echo "FAIL: CI is set but ${missing[*]} not installed (apt-get install slurm-wlm munge; .ci/run does)" >&2
    exit 1
  fi
  echo "SKIP: ${missing[*]} not installed (apt-get install slurm-wlm munge)" >&2
  exit 77
fi

# A Slurm job running this test must not leak its job's variables into our cluster's jobs.
while IFS='=' read -r name _; do
  case "$name" in SLURM_*) unset "$name" ;; esac
done < <(env)

TMP=$(mktemp -d /tmp/hotspots_slurm.XXXXXX)
chmod 711 "$TMP"  # munged wants the socket's folder reachable by all (it does not need more)
CONF=$TMP/slurm.conf
SOCKET=$TMP/run/munge.socket
munged_pid="" ctld_pid="" slurmd_pid=""

log() { echo "slurm_batch: $*" >&2; }

# Waits up to $1 seconds for process $2 to end (our own child: `wait` reaps it).
await_exit() {
  local t=$(($1 * 10)) pid=$2
  while [ "$t" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; t=$((t - 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still alive: SIGKILL"
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  return 0
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$ctld_pid" ] && kill -0 "$ctld_pid" 2>/dev/null; then
    # Jobs left by a failure or a timeout: cancel them, so that their slurmstepd and tasks end.
    if [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
      scancel --full --quiet --user=root 2>/dev/null
      local t=100
      while [ "$t" -gt 0 ] && [ -n "$(squeue -h -o %i 2>/dev/null)" ]; do sleep 0.2; t=$((t - 1)); done
    fi
  fi
  [ -n "$slurmd_pid" ] && kill -TERM "$slurmd_pid" 2>/dev/null && await_exit 20 "$slurmd_pid"
  [ -n "$ctld_pid" ] && kill -TERM "$ctld_pid" 2>/dev/null && await_exit 20 "$ctld_pid"
  [ -n "$munged_pid" ] && kill -TERM "$munged_pid" 2>/dev/null && await_exit 10 "$munged_pid"
  # A slurmstepd of ours outlives slurmd (it daemonises): find it by our slurm.conf in its
  # environment and end it, so that nothing of this test is left running.
  local pid
  for pid in $(pgrep -x slurmstepd 2>/dev/null); do
    if { tr '\0' '\n' < "/proc/$pid/environ"; } 2>/dev/null | grep -qx "SLURM_CONF=$CONF"; then
      log "leftover slurmstepd $pid: SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  if [ "$rc" -ne 0 ] && [ -d "$TMP/log" ]; then
    for f in "$TMP"/log/*.log "$TMP"/slurm_scripts/logs/*.log; do
      [ -f "$f" ] && { echo "--- $f (last 20 lines)" >&2; tail -n 20 "$f" >&2; }
    done
  fi
  if [ -n "${KEEP_TMP:-}" ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }

# Two free TCP ports on 127.0.0.1 (the kernel's choice; released just before the daemons bind).
read -r CTLD_PORT SLURMD_PORT < <(python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
PY
)
[ -n "$SLURMD_PORT" ] || fail "no free port"

# The daemons run in the foreground as children of this script; should it be killed outright
# (SIGKILL, no trap), the kernel sends them SIGTERM (setpriv --pdeathsig, util-linux).
ORPHAN_GUARD=""
setpriv --pdeathsig TERM true 2>/dev/null && ORPHAN_GUARD="setpriv --pdeathsig TERM"

# munge: a fresh key, its own socket, pid, log and seed files.
mkdir -m 700 "$TMP/munge"
mkdir -m 755 "$TMP/run"
mkdir -m 700 "$TMP/state" "$TMP/spool" "$TMP/log"
mungekey --create --keyfile="$TMP/munge/munge.key" >/dev/null 2>&1 ||
  { head -c 1024 /dev/urandom > "$TMP/munge/munge.key"; }
chmod 600 "$TMP/munge/munge.key"
$ORPHAN_GUARD munged --foreground --socket="$SOCKET" --key-file="$TMP/munge/munge.key" \
  --pid-file="$TMP/munge/munged.pid" --log-file="$TMP/log/munged.log" \
  --seed-file="$TMP/munge/munged.seed" 2>> "$TMP/log/munged.log" &
munged_pid=$!
for _ in $(seq 100); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || fail "munged did not start"
munge -S "$SOCKET" -n | unmunge -S "$SOCKET" >/dev/null || fail "munge round trip failed"

# The node as slurmd sees it (CPUs, sockets, cores, threads, memory), on 127.0.0.1; daemons bind
# 127.0.0.1 only (NoCtldInAddrAny, NoInAddrAny). batch_sched_delay=0: a finished array task's
# successor starts at once (Slurm's default 3 s delay more than doubles the 9 one-second tasks).
node_line=$(slurmd -C 2>/dev/null | grep '^NodeName=') || fail "slurmd -C failed"
NODE=$(sed 's/^NodeName=\([^ ]*\).*/\1/' <<< "$node_line")  # the short host name
CPUS=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<< "$node_line")
cat > "$CONF" <<EOF
ClusterName=hotspotstest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/run/slurmctld.pid
SlurmdPidFile=$TMP/run/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
InactiveLimit=0
KillWait=5
SlurmdParameters=config_overrides
$node_line NodeAddr=127.0.0.1 NodeHostname=$NODE State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$CONF

$ORPHAN_GUARD slurmctld -D -f "$CONF" > "$TMP/log/slurmctld.out" 2>&1 &
ctld_pid=$!
$ORPHAN_GUARD slurmd -D -f "$CONF" -N "$NODE" > "$TMP/log/slurmd.out" 2>&1 &
slurmd_pid=$!
state=""
for _ in $(seq 150); do
  kill -0 "$ctld_pid" 2>/dev/null || fail "slurmctld exited"
  kill -0 "$slurmd_pid" 2>/dev/null || fail "slurmd exited"
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || fail "node $NODE not idle after 30 s (state '$state')"
log "one-node Slurm up: $NODE ($CPUS CPUs), slurmctld :$CTLD_PORT, slurmd :$SLURMD_PORT on 127.0.0.1"

# The Slurm run: scripts written from the repository root (the plan's paths are relative to it;
# the sbatch scripts chdir there), then submit.sh as a user would.
cd "$SRC" || fail "cannot enter $SRC"
mapfile -t TASKS < <("$HOTSPOTS" batch "$PLAN" --list | cut -f2)
[ "${#TASKS[@]}" -gt 0 ] || fail "batch --list gave no task"
# --slurm-mem auto: --mem from the tasks' estimates, which this node's Slurm must accept.
"$HOTSPOTS" batch "$PLAN" -o "$TMP/slurm_out" --slurm "$TMP/slurm_scripts" --slurm-mem auto \
  --quiet || fail "batch --slurm failed"
grep -q '^#SBATCH --mem=[0-9]*00M$' "$TMP/slurm_scripts/tasks.sbatch" ||
  fail "tasks.sbatch has no --mem from --slurm-mem auto"
t0=$(date +%s.%N)
submitted=$(sh "$TMP/slurm_scripts/submit.sh") || fail "submit.sh failed"
log "$submitted"
read -r array_id gather_id < <(sed -n 's/.*task array \([0-9]*\) and gather job \([0-9]*\).*/\1 \2/p' <<< "$submitted")
[ -n "${gather_id:-}" ] || fail "cannot read the job ids from: $submitted"
deadline=$(($(date +%s) + JOB_WAIT_S))
while :; do
  queued=$(squeue -h -j "$array_id,$gather_id" -o %i 2>/dev/null)
  [ -z "$queued" ] && [ -f "$TMP/slurm_out/index.csv" ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { squeue >&2; fail "jobs not done after $JOB_WAIT_S s"; }
  sleep 0.5
done
t1=$(date +%s.%N)
for k in "${!TASKS[@]}"; do
  [ -f "$TMP/slurm_scripts/logs/task-$k.log" ] || fail "no log of array task $k: did it run under Slurm?"
done

# The same plan run locally.
GDAL_PAM_ENABLED=${GDAL_PAM_ENABLED:-NO} "$HOTSPOTS" batch "$PLAN" -o "$TMP/local_out" -j 2 --quiet ||
  fail "local batch failed"
t2=$(date +%s.%N)
log "$(python3 -c "import sys; a,b,c=map(float,sys.argv[1:]); print(f'wall time: Slurm {b-a:.1f} s (submit to index.csv), local -j 2 {c-b:.1f} s')" "$t0" "$t1" "$t2")"

python3 - "$TMP/slurm_out" "$TMP/local_out" "${TASKS[@]}" <<'PY' || exit 1
import csv, hashlib, json, os, sys
slurm, local, tasks = sys.argv[1], sys.argv[2], sys.argv[3:]
problems = []

def outputs(root, task):
    path = os.path.join(root, task, "manifest.json")
    if not os.path.isfile(path):
        problems.append(f"{task}: no pack in {root}")
        return None
    with open(path) as f:
        return {o["path"]: o["sha256"] for o in json.load(f)["outputs"]}

for task in tasks:
    a, b = outputs(slurm, task), outputs(local, task)
    if a is None or b is None:
        continue
    if not a:
        problems.append(f"{task}: the Slurm pack lists no output")
    for p in sorted(set(a) | set(b)):
        if a.get(p) != b.get(p):
            problems.append(f"{task}/{p}: Slurm {a.get(p, 'absent')} local {b.get(p, 'absent')}")
    for p, digest in a.items():  # the Slurm manifest tells the truth about its files
        with open(os.path.join(slurm, task, p), "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != digest:
                problems.append(f"{task}/{p}: the Slurm file does not hash to its manifest digest")

with open(os.path.join(slurm, "index.csv"), newline="", encoding="utf-8-sig") as f:
    rows = list(csv.DictReader(f))
status = {}
for r in rows:
    status.setdefault(r["task_id"], set()).add(r["status"])
for task in tasks:
    if status.get(task) != {"done"}:
        problems.append(f"index.csv: {task} is {sorted(status.get(task, {'absent'}))}, not done")
for task in sorted(set(status) - set(tasks)):
    problems.append(f"index.csv: unexpected task {task}")

if problems:
    print("FAIL: the Slurm run differs from the local run:", *problems[:50], sep="\n  ", file=sys.stderr)
    sys.exit(1)
n = sum(len(outputs(slurm, t)) for t in tasks)
print(f"slurm_batch: OK: {len(tasks)} packs, {n} output digests equal; index.csv: {len(tasks)} tasks done")
PY
