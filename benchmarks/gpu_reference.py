#!/usr/bin/env python3
"""PyTorch / CuPy reference of the issue-21 GPU kernels (what a user would pick instead on a GPU).

Same sizes as the gpu-* suites: multiplier bootstrap (V'S), placebo gather-sum, wild bootstrap products (V K'),
FE demeaning (alternating projections with scatter-add), a batched MLP ensemble epoch. Each library that imports and
sees a GPU is timed; a missing library or GPU is recorded, never fatal. With --rehearse the sizes shrink and numpy
stands in (CPU), so the script and its JSON layout are exercised where neither library exists.
  python3 benchmarks/gpu_reference.py --out results.json [--rehearse] [--budget-s 60]
"""
import argparse, json, math, sys, time

H200 = {"hbm_bytes_per_s": 4.8e12, "fp32_flop_per_s": 67e12}
SIZES = {
    "h200": dict(units=1_000_000, cells=50, draws=10_000, chunk=500, p_rows=2_000_000, p_cols=11, p_draws=100_000, p_group=12_238,
                 w_g=1000, w_draws=99_999, d_units=555_556, d_periods=20, nets=1000, ann_rows=2457, epochs=20),
    "rehearse": dict(units=20_000, cells=10, draws=400, chunk=100, p_rows=40_000, p_cols=11, p_draws=400, p_group=245,
                     w_g=150, w_draws=999, d_units=20_000, d_periods=20, nets=16, ann_rows=2457, epochs=5),
}


def libraries(rehearse):
    libs = []
    try:
        import torch
        if torch.cuda.is_available():
            libs.append(("torch", torch))
        else:
            print("gpu_reference: torch has no CUDA device", file=sys.stderr)
    except Exception as e:  # noqa: BLE001 - any import failure is a missing library
        print(f"gpu_reference: no torch ({e})", file=sys.stderr)
    try:
        import cupy
        cupy.cuda.runtime.getDeviceCount()
        libs.append(("cupy", cupy))
    except Exception as e:  # noqa: BLE001
        print(f"gpu_reference: no cupy ({e})", file=sys.stderr)
    if rehearse and not libs:
        import numpy
        libs.append(("numpy", numpy))
    return libs


class Ops:
    """The few array operations the kernels need, on torch, cupy or numpy, all float32."""

    def __init__(self, name, mod):
        self.name, self.m = name, mod
        if name == "torch":
            self.dev = "cuda"
            self.gen = mod.Generator(device="cuda").manual_seed(1)

    def randn(self, *shape):
        if self.name == "torch":
            return self.m.randn(*shape, device=self.dev, generator=self.gen)
        return self.m.random.standard_normal(shape).astype("float32") if self.name == "numpy" else self.m.random.standard_normal(shape, dtype="float32")

    def signs(self, *shape):
        v = (self.randn(*shape) > 0) * 2.0 - 1.0
        return v if self.name == "torch" else v.astype("float32")  # numpy/cupy would promote to float64

    def ints(self, hi, n):
        if self.name == "torch":
            return self.m.randint(0, hi, (n,), device=self.dev, generator=self.gen)
        return self.m.random.randint(0, hi, n)

    def sync(self):
        if self.name == "torch":
            self.m.cuda.synchronize()
        elif self.name == "cupy":
            self.m.cuda.Device().synchronize()

    def scatter_mean(self, x, codes, levels):
        """Means of the rows of x (n x k) by level."""
        if self.name == "torch":
            s = self.m.zeros((levels, x.shape[1]), device=self.dev).index_add_(0, codes, x)
            c = self.m.bincount(codes, minlength=levels).clamp(min=1).unsqueeze(1)
            return s / c
        s = self.m.zeros((levels, x.shape[1]), dtype="float32")
        if self.name == "cupy":
            import cupyx
            cupyx.scatter_add(s, codes, x)
        else:
            self.m.add.at(s, codes, x)
        return s / self.m.maximum(self.m.bincount(codes, minlength=levels), 1)[:, None]


def timed(ops, fn, deadline, units, chunk):
    """Runs fn(count) in chunks until `units` are done or the deadline passes: (done, seconds)."""
    fn(min(chunk, units))  # warm-up (kernel compilation, allocator)
    ops.sync()
    t0, done = time.perf_counter(), 0
    while done < units:
        count = min(chunk, units - done)
        fn(count)
        done += count
        ops.sync()
        per = (time.perf_counter() - t0) / done
        if done < units and time.time() + per * count > deadline:
            break
    return done, time.perf_counter() - t0


def record(name, done, total, seconds, bytes_per_unit=0, flops_per_unit=0, **extra):
    rate = done / seconds
    return dict(kernel=name, done=done, total=total, seconds=seconds, units_per_s=rate, complete=done == total,
                full_size_s=total / rate, full_size_is_extrapolated=done < total,
                achieved_gb_per_s=bytes_per_unit * rate / 1e9, share_of_h200_hbm=bytes_per_unit * rate / H200["hbm_bytes_per_s"],
                achieved_gflop_per_s=flops_per_unit * rate / 1e9, share_of_h200_fp32=flops_per_unit * rate / H200["fp32_flop_per_s"], **extra)


def run_all(ops, s, deadline_for):
    out = []
    # Multiplier bootstrap: theta* = V'S / n, weights drawn on the device (moderndid's CuPy formulation).
    S = ops.randn(s["units"], s["cells"])
    f = lambda m: (ops.signs(m, s["units"]) @ S) / s["units"]
    d, t = timed(ops, f, deadline_for(), s["draws"], s["chunk"])
    out.append(record("multiplier_bootstrap", d, s["draws"], t, 4 * s["units"] * (1 + s["cells"] / s["chunk"]), 2 * s["units"] * s["cells"], units=s["units"], cells=s["cells"]))
    del S
    # Placebo: per draw, the sum of p_group gathered rows of the tail table (GatherSum).
    T = ops.randn(s["p_rows"], s["p_cols"])
    g = lambda m: T[ops.ints(s["p_rows"], m * s["p_group"])].reshape(m, s["p_group"], s["p_cols"]).sum(1)
    d, t = timed(ops, g, deadline_for(), s["p_draws"], 1000)
    out.append(record("placebo_gather_sum", d, s["p_draws"], t, 4 * s["p_group"] * (s["p_cols"] + 1), s["p_group"] * s["p_cols"], rows=s["p_rows"], group=s["p_group"]))
    del T
    # Wild bootstrap: [Ky v, Kx v] for each draw = V K' with K = [Ky; Kx] (2G x G), then sum of squares per draw.
    G = s["w_g"]
    K = ops.randn(2 * G, G)
    w = lambda m: ((ops.signs(m, G) @ K.T)[:, :G] ** 2).sum(1)
    d, t = timed(ops, w, deadline_for(), s["w_draws"], 1000)
    out.append(record("wild_products", d, s["w_draws"], t, 4 * G, 4 * G * G, clusters=G))
    del K
    # FE demeaning: alternating projections by unit and time on n x 2 columns, 20 sweeps.
    n = s["d_units"] * s["d_periods"]
    unit = ops.m.arange(n, device=ops.dev) // s["d_periods"] if ops.name == "torch" else ops.m.arange(n) // s["d_periods"]
    tcode = unit * 0 + (ops.m.arange(n, device=ops.dev) if ops.name == "torch" else ops.m.arange(n)) % s["d_periods"]
    X = ops.randn(n, 2) + 100.0

    def demean(m):
        y = X - X.mean(0)
        for _ in range(m):
            y = y - ops.scatter_mean(y, unit, s["d_units"])[unit]
            y = y - ops.scatter_mean(y, tcode, s["d_periods"])[tcode]
        return y
    d, t = timed(ops, demean, deadline_for(), 20, 5)
    out.append(record("demean_sweeps", d, 20, t, 2 * 3 * 4 * n * 2, 0, rows=n, note="units = sweeps (unit then time FE)"))
    del X
    # ANN ensemble: one full-batch forward + backward matmul epoch of B nets (27 -> 8), as one batched problem.
    B, r, p, h = s["nets"], s["ann_rows"], 27, 8
    Xa, W1, W2 = ops.randn(r, p), ops.randn(p, B * h) * 0.2, ops.randn(B * h, 1) * 0.2

    def epoch(m):
        for _ in range(m):
            H = 1 / (1 + ops.m.exp(-(Xa @ W1)))
            gH = (H * (1 - H)) * W2.reshape(1, -1)
            _ = Xa.T @ gH
    d, t = timed(ops, epoch, deadline_for(), s["epochs"], 5)
    out.append(record("ann_epoch_matmuls", d, s["epochs"], t, 0, 3 * 2 * r * p * B * h, nets=B, rows=r, note="units = epochs; extrapolate to 500 epochs"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--rehearse", action="store_true")
    ap.add_argument("--budget-s", type=float, default=60)
    a = ap.parse_args()
    s = SIZES["rehearse" if a.rehearse else "h200"]
    end = time.time() + a.budget_s
    report = {"sizes": s, "rehearse": a.rehearse, "python": sys.version.split()[0], "libraries": {}}
    libs = libraries(a.rehearse)
    for k, (name, mod) in enumerate(libs):
        lib_end = time.time() + (end - time.time()) / (len(libs) - k)
        share = lambda: time.time() + max(1.0, (lib_end - time.time()) / 5)
        try:
            ops = Ops(name, mod)
            info = {"version": getattr(mod, "__version__", "?")}
            if name == "torch":
                info["device"] = mod.cuda.get_device_name(0)
            report["libraries"][name] = {**info, "results": run_all(ops, s, share)}
        except Exception as e:  # noqa: BLE001 - record and go on with the next library
            report["libraries"][name] = {"error": f"{type(e).__name__}: {e}"}
        print(f"gpu_reference: {name}: {json.dumps(report['libraries'][name])[:400]}")
    if not libs:
        report["note"] = "neither torch (with CUDA) nor cupy is available here"
    with open(a.out, "w") as fh:
        json.dump(report, fh, indent=2)


if __name__ == "__main__":
    main()
