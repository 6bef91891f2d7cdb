;; The machine's arithmetic peak as our WebAssembly kernels can reach it: float64 SIMD (f64x2), eight
;; independent accumulators a_i = a_i * m + c (one mul and one add each, 4 flops a v128 pair; baseline
;; WebAssembly SIMD has no fused multiply-add), reps times. Returns a lane sum so nothing is dead code.
(module
  (func (export "mulAdd") (param $reps i32) (param $m f64) (param $c f64) (result f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $vm v128) (local $vc v128)
    (local.set $vm (f64x2.splat (local.get $m)))
    (local.set $vc (f64x2.splat (local.get $c)))
    (local.set $a0 (f64x2.splat (f64.const 0.1)))
    (local.set $a1 (f64x2.splat (f64.const 0.2)))
    (local.set $a2 (f64x2.splat (f64.const 0.3)))
    (local.set $a3 (f64x2.splat (f64.const 0.4)))
    (local.set $a4 (f64x2.splat (f64.const 0.5)))
    (local.set $a5 (f64x2.splat (f64.const 0.6)))
    (local.set $a6 (f64x2.splat (f64.const 0.7)))
    (local.set $a7 (f64x2.splat (f64.const 0.8)))
    (block $done
      (br_if $done (i32.eqz (local.get $reps)))
      (loop $rep
        (local.set $a0 (f64x2.add (f64x2.mul (local.get $a0) (local.get $vm)) (local.get $vc)))
        (local.set $a1 (f64x2.add (f64x2.mul (local.get $a1) (local.get $vm)) (local.get $vc)))
        (local.set $a2 (f64x2.add (f64x2.mul (local.get $a2) (local.get $vm)) (local.get $vc)))
        (local.set $a3 (f64x2.add (f64x2.mul (local.get $a3) (local.get $vm)) (local.get $vc)))
        (local.set $a4 (f64x2.add (f64x2.mul (local.get $a4) (local.get $vm)) (local.get $vc)))
        (local.set $a5 (f64x2.add (f64x2.mul (local.get $a5) (local.get $vm)) (local.get $vc)))
        (local.set $a6 (f64x2.add (f64x2.mul (local.get $a6) (local.get $vm)) (local.get $vc)))
        (local.set $a7 (f64x2.add (f64x2.mul (local.get $a7) (local.get $vm)) (local.get $vc)))
        (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
        (br_if $rep (local.get $reps))))
    (local.set $a0 (f64x2.add (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3)))
      (f64x2.add (f64x2.add (local.get $a4) (local.get $a5)) (f64x2.add (local.get $a6) (local.get $a7)))))
    (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0)))))
