"""20 annotators editing one shared project on PostgreSQL at once, over loopback.

    python bench/bench_team.py [--clients 20] [--seconds 60] [--burst 10] [--pause 0.3] [--json]

The default pace (bursts of 10 edits, 0.3 s apart: about 30 edits per second per client) is a
stress far above a person's; ``--burst 1 --pause 0.5`` is a fast annotator (two edits a second).

Starts its own PostgreSQL server (tests/team/pgserver.py: initdb/pg_ctl, as a non-root OS user
when run as root), sets up a project with ``annotator server init``, one coder login per client
and 40 documents, then runs one process per coder through the core API (``Project.open(URL)``,
``add_span`` and ``update_span``), in bursts of 10 edits then a pause of 0.3 s. Each client
records an edit as *confirmed* once the call returned (the transaction committed) and logs it.

During the run: client 0 is SIGKILLed mid-burst at 30 % of the time, and the server is
restarted (``pg_ctl restart -m fast``: open connections are cut) at 55 %. Clients that lose
the server say so on stderr, retry until it is back, and go on.

At the end every client's confirmed edits are compared with what the server stores (each
span's final label): they must be equal for every client that was not killed; for the killed
one, every confirmed edit must be stored (an edit committed in the instant before the kill may
be stored but unconfirmed). Prints p50/p95 edit latency over all confirmed edits.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "team"))
sys.path.insert(0, str(HERE.parent))

LABELS = [("attribution", "source"), ("attribution", "cue"), ("hedging", "hedge"),
          ("stance", "target")]
TEXT = ("Officials said on Monday that the plan was not fully confirmed, while critics "
        "claimed it would probably fail. ")


def client(index: int, url: str, log: Path, seconds: float, burst: int = 10,
           pause: float = 0.3) -> int:
    from sqlalchemy import event

    from annotator.core.errors import AnnotatorError
    from annotator.core.project import Project

    rng = random.Random(index)
    project = Project.open(url)
    connects = [0]

    @event.listens_for(project.engine, "connect")
    def _connected(*_: object) -> None:  # a new connection after the first: it was lost
        connects[0] += 1
        if connects[0] > 1:
            print(f"client {index}: the connection to the server was lost; reconnected",
                  file=sys.stderr, flush=True)

    docs = [d.pk for d in project.documents()]
    length = len(project.text(docs[0]))
    mine: list[int] = []
    (log.parent / f"ready{index}").touch()
    go = log.parent / "go"
    while not go.exists():  # every client started: the driver says when
        time.sleep(0.05)
    start_at = float(go.read_text())
    out = log.open("a", encoding="utf-8")
    end = start_at + seconds
    n = 0
    while time.time() < end:
        for _ in range(burst):
            doc = rng.choice(docs)
            layer, label = rng.choice(LABELS)
            t0 = time.perf_counter()
            while True:
                try:
                    if mine and rng.random() < 0.2:
                        pk = rng.choice(mine)
                        _, after = project.update_span(pk, label=label, layer=layer,
                                                       allow_identical=True)
                        what = ("update", pk, after.label)
                    else:
                        a = rng.randrange(0, length - 10)
                        span = project.add_span(doc, layer, label, ((a, a + rng.randint(1, 9)),))
                        mine.append(span.pk)
                        what = ("add", span.pk, span.label)
                    break
                except AnnotatorError as exc:
                    if "identical" in str(exc).lower():
                        continue  # the same span again by chance: choose another
                    print(f"client {index}: server unavailable ({str(exc)[-90:]}); "
                          "reconnecting", file=sys.stderr, flush=True)
                    time.sleep(0.25)
            ms = (time.perf_counter() - t0) * 1000
            out.write(json.dumps([*what, round(ms, 3)]) + "\n")
            out.flush()
            n += 1
        time.sleep(pause)
    out.close()
    project.close()
    return 0


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--burst", type=int, default=10,
                    help="edits per burst (default 10: a stress far above human pace)")
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between bursts")
    ap.add_argument("--client", nargs=6,
                    metavar=("I", "URL", "LOG", "SECONDS", "BURST", "PAUSE"))
    args = ap.parse_args()
    if args.client:
        i, url, log, secs, burst, pause = args.client
        return client(int(i), url, Path(log), float(secs), int(burst), float(pause))

    import psycopg
    from pgserver import start_server

    from annotator.core.model import CorpusDocument
    from annotator.core.project import Project
    from annotator.team import server as team

    srv = start_server()
    work = Path(srv.passfile).parent
    try:
        owner = srv.new_database("bench")
        os.environ["PGPASSFILE"] = str(srv.passfile)
        team.init(owner)
        names = [f"coder{i:02d}" for i in range(args.clients)]
        for name in names:
            team.add_user(owner, name, f"pw-{name}")
            srv.remember(name, f"pw-{name}")
        with Project.open(owner) as p:
            p.import_documents([CorpusDocument(name=f"d{i}", text=TEXT * 8 + str(i))
                                for i in range(40)])
        env = dict(os.environ, PGPASSFILE=str(srv.passfile))
        start_at = 0.0  # set once every client is ready
        procs, logs = [], []
        for i, name in enumerate(names):
            log = work / f"client{i}.log"
            logs.append(log)
            procs.append(subprocess.Popen(
                [sys.executable, __file__, "--client", str(i), srv.url(name, "bench"), str(log),
                 str(args.seconds), str(args.burst), str(args.pause)], env=env, stderr=subprocess.PIPE, text=True))
        while len(list(work.glob("ready*"))) < args.clients:
            if any(p.poll() is not None for p in procs):
                raise RuntimeError("a client ended before it was ready: "
                                   + next(p.stderr.read() for p in procs
                                          if p.poll() is not None and p.stderr))
            time.sleep(0.1)
        start_at = time.time() + 1.0
        (work / "go.tmp").write_text(str(start_at))
        (work / "go.tmp").rename(work / "go")
        load_before = os.getloadavg()[0]
        time.sleep(max(0.0, start_at - time.time()) + 0.3 * args.seconds)
        os.kill(procs[0].pid, signal.SIGKILL)
        killed_at = time.time() - start_at
        time.sleep(max(0.0, start_at + 0.55 * args.seconds - time.time()))
        t0 = time.time()
        srv.restart()
        restart_s = time.time() - t0
        restarted_at = t0 - start_at
        errors = []
        for p in procs:
            _, err = p.communicate(timeout=args.seconds + 300)
            errors.append(err)
        with psycopg.connect(host="127.0.0.1", port=srv.port, user="owner_bench",
                             password=srv.passwords["owner_bench"], dbname="bench") as conn:
            stored_rows = conn.execute("SELECT id, annotator, label FROM span").fetchall()
        stored: dict[str, dict[int, str]] = {n: {} for n in names}
        for pk, who, label in stored_rows:
            stored[who][pk] = label
        latencies: list[float] = []
        confirmed_total = stored_total = 0
        per_client = []
        for i, name in enumerate(names):
            confirmed: dict[int, str] = {}
            lines = logs[i].read_text(encoding="utf-8").splitlines() if logs[i].exists() else []
            for line in lines:
                try:
                    _op, pk, label, ms = json.loads(line)
                except ValueError:
                    continue  # a line cut by the kill
                confirmed[pk] = label
                latencies.append(ms)
            confirmed_total += len(lines)
            stored_total += len(stored[name])
            same = confirmed == stored[name]
            lost = [pk for pk in confirmed if stored[name].get(pk) != confirmed[pk]]
            per_client.append({"client": name, "edits_confirmed": len(lines),
                               "spans_confirmed": len(confirmed),
                               "spans_stored": len(stored[name]), "equal": same,
                               "confirmed_not_stored": len(lost),
                               "reconnect_messages": errors[i].count("reconnect"),
                               "exit": procs[i].returncode})
        report = {
            "clients": args.clients, "seconds": args.seconds,
            "edits_confirmed": confirmed_total,
            "spans_confirmed": sum(c["spans_confirmed"] for c in per_client),
            "spans_stored": stored_total,
            "all_equal_except_killed": all(c["equal"] for c in per_client[1:]),
            "confirmed_lost": sum(c["confirmed_not_stored"] for c in per_client),
            "killed": {"client": names[0], "at_s": round(killed_at, 1),
                       "stored_unconfirmed": per_client[0]["spans_stored"]
                       - per_client[0]["spans_confirmed"]},
            "server_restart": {"at_s": round(restarted_at, 1), "took_s": round(restart_s, 2),
                               "clients_that_said_so": sum(
                                   1 for c in per_client[1:] if c["reconnect_messages"]),
                               "failed_edits_retried": sum(e.count("unavailable")
                                                           for e in errors)},
            "latency_ms": {"p50": round(_pct(latencies, 50), 2),
                           "p95": round(_pct(latencies, 95), 2),
                           "max": round(max(latencies), 2) if latencies else None},
            "edits_per_second": round(confirmed_total / args.seconds, 1),
            "pace": {"burst": args.burst, "pause_s": args.pause},
            "load_average_at_start": load_before, "cpus": os.cpu_count(),
            "per_client": per_client,
        }
    finally:
        srv.discard()
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(json.dumps({k: v for k, v in report.items() if k != "per_client"}, indent=1))
        sample = next((e for e in errors[1:] if "reconnect" in e), "")
        if sample:
            print("a client said:", sample.strip().splitlines()[0])
    ok = report["all_equal_except_killed"] and report["confirmed_lost"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
