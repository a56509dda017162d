"""Prints bench/serving/run.sh's results as one table, with each row's ratio to its reference."""
import sys

import statistics

# Each row may have run several times (ROUNDS): the table shows the median of each field, and how far the
# throughput of the row's runs spread around it.
runs = {}
order = []
for line in open(sys.argv[1]):
    name, conc, rps, p50, p99, errors, cpu, *rest = line.strip().split("|")
    kernel = rest[0] if rest else ""
    key = (name, int(conc))
    if key not in runs:
        runs[key] = []
        order.append(key)
    runs[key].append(dict(rps=float(rps), p50=float(p50), p99=float(p99), errors=int(float(errors)),
                          cpu=float(cpu) if cpu else None, kernel=float(kernel) if kernel else None))

rows = {}
for key, samples in runs.items():
    med = lambda f: statistics.median(s[f] for s in samples) if all(s[f] is not None for s in samples) else None
    rps = [s["rps"] for s in samples]
    rows[key] = dict(rps=med("rps"), p50=med("p50"), p99=med("p99"), errors=sum(s["errors"] for s in samples),
                     cpu=med("cpu"), kernel=med("kernel"), runs=len(samples),
                     spread=(max(rps) - min(rps)) / 2 / statistics.median(rps) * 100 if len(rps) > 1 else 0.0)

def ratio(key, ref, field="rps"):
    if key in rows and ref in rows and rows[ref][field]:
        return rows[key][field] / rows[ref][field]
    return None

references = {
    "ferry-batching-off": lambda c: ("ceiling", c),
    "ferry-batching-on": lambda c: ("ceiling", c),
    "node-peer": lambda c: ("ceiling", c),
}

print(f"{'row':28} {'conc':>4} {'runs':>4} {'req/s':>9} {'±%':>5} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'cpu us/req':>10} {'kernel':>6}  ratio (of medians)")
for key in order:
    name, c = key
    r = rows[key]
    notes = []
    if name in references:
        ref = references[name](c)
        if (x := ratio(key, ref)) is not None:
            notes.append(f"{x:.2f}x ceiling")
        if r["cpu"] and rows[ref].get("cpu"):
            notes.append(f"{rows[ref]['cpu'] / r['cpu']:.2f}x ceiling by cpu")
    if name.startswith("ferry-batching") and (x := ratio(key, ("node-peer", c))) is not None:
        notes.append(f"{x:.2f}x node-peer")
        peer = rows[("node-peer", c)]
        if r["cpu"] and peer.get("cpu"):
            notes.append(f"{peer['cpu'] / r['cpu']:.2f}x node-peer by cpu")
    if name == "ferry-batching-on-logged" and (x := ratio(key, ("ferry-batching-on", c))) is not None:
        notes.append(f"{x:.2f}x unlogged")
        base = rows[("ferry-batching-on", c)]
        if r["cpu"] and base.get("cpu"):
            notes.append(f"{base['cpu'] / r['cpu']:.2f}x unlogged by cpu")
    if name == "ferry-batching-on" and (x := ratio(key, ("ferry-batching-off", c))) is not None:
        notes.append(f"{x:.2f}x batching off")
    if name == "ferry-classifier-binary" and ("raw-onnxruntime-classifier", 1) in rows:
        raw = rows[("raw-onnxruntime-classifier", 1)]["p50"]
        notes.append(f"overhead {(r['p50'] - raw) / raw * 100:.1f}% of raw p50")
        if ("ceiling-binary", 1) in rows:
            # The ceiling's p50 on the same body is the HTTP round trip alone; the rest is Ferry's own work.
            transport = rows[("ceiling-binary", 1)]["p50"]
            notes.append(f"of which HTTP round trip of the body {transport / raw * 100:.1f}%, "
                         f"Ferry's own {(r['p50'] - raw - transport) / raw * 100:.1f}%")
    if name == "ceiling":
        notes.append("reference")
    if name == "ceiling-binary":
        notes.append("reference: the classifier's 110 KB body, fixed answer")
    if name in references and r["cpu"] and r["kernel"] is not None:
        ref = rows.get(references[name](c), {})
        if ref.get("cpu") and ref.get("kernel") is not None:
            # Outside the kernel: the server's own code, where the ceiling's and this row's work differ.
            notes.append(f"+{(r['cpu'] - r['kernel']) - (ref['cpu'] - ref['kernel']):.1f} us user cpu over the ceiling's")
    cpu = f"{r['cpu']:.1f}" if r["cpu"] else ""
    kernel = f"{r['kernel']:.1f}" if r["kernel"] is not None else ""
    print(f"{name:28} {c:>4} {r['runs']:>4} {r['rps']:>9.0f} {r['spread']:>5.0f} {r['p50'] / 1000:>8.3f} {r['p99'] / 1000:>8.3f} {r['errors']:>6} {cpu:>10} {kernel:>6}  {', '.join(notes)}")

if len(sys.argv) > 2 and sys.argv[2]:
    first_n, first_kb, last_n, last_kb = (int(x) for x in sys.argv[2].split())
    print(f"\nferry RSS: {first_kb / 1024:.0f} MiB after {first_n:,} requests, {last_kb / 1024:.0f} MiB after {last_n:,}"
          f" ({last_kb / first_kb:.2f}x)")
