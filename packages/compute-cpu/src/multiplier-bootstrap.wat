;; The multiplier bootstrap's Rademacher product, float64: theta*_b = sum_c w_bc S_c for a block of
;; up to 32 draws, with the weights generated here.
;;
;; gen: the next nb x G Rademacher weights of one xoroshiro128+ stream (draw after draw, cluster
;;   after cluster; the stream's state, two little-endian i64, at $state, advanced in place), as bits:
;;   bit b of the 32-bit word of cluster c is set when weight (b, c) is -1. A weight is the low bit of
;;   the generator's 32-bit output (pure-rand's uniformInt(0, 1), one output per weight): 1 -> +1,
;;   0 -> -1. The words must be zero on entry.
;; accumulate: acc += W S for the block: S packed in panels of four columns (panel p holds, for
;;   c = 0..G-1, the four values S[c, 4p + l] contiguously); acc holds, per panel, 32 draws x 4
;;   doubles (1,024 bytes a panel). Clusters go in blocks of 256: the block's bits are first
;;   expanded to sign masks ($masks, 256 x 32 x 8 bytes = 64 KiB), then every panel's block (8 KiB,
;;   in L1) is passed by tiles of four draws: eight f64x2 accumulators; a weight of -1 flips the
;;   sign bit of S (exactly w * S), and every sum runs over c in order 0..G-1, so each output is
;;   bit-identical to the plain per-draw loop.
;; The committed bytes live in multiplier-bootstrap-wasm.ts; test/multiplier-bootstrap-wasm.test.ts
;; checks them against this file and rewrites them with WRITE_WASM=1.
(module
  (memory (export "memory") 1)
  (func (export "gen") (param $state i32) (param $bits i32) (param $G i32) (param $nb i32)
    (local $s0 i64) (local $s1 i64) (local $b i32) (local $bp i32) (local $end i32)
    (local.set $s0 (i64.load (local.get $state)))
    (local.set $s1 (i64.load offset=8 (local.get $state)))
    (local.set $end (i32.add (local.get $bits) (i32.shl (local.get $G) (i32.const 2))))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $G)) (i32.eqz (local.get $nb))))
      (loop $draw
        (local.set $bp (local.get $bits))
        (loop $c
          (i32.store (local.get $bp)
            (i32.or (i32.load (local.get $bp))
              (i32.shl
                (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1))
                (local.get $b))))
          (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
          (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1))
            (i64.shl (local.get $s1) (i64.const 16))))
          (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
          (local.set $bp (i32.add (local.get $bp) (i32.const 4)))
          (br_if $c (i32.lt_u (local.get $bp) (local.get $end))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $draw (i32.lt_u (local.get $b) (local.get $nb)))))
    (i64.store (local.get $state) (local.get $s0))
    (i64.store offset=8 (local.get $state) (local.get $s1)))

  (func (export "accumulate")
    (param $bits i32) (param $s i32) (param $acc i32) (param $G i32) (param $panels i32) (param $tiles i32)
    (param $masks i32)
    (local $c0 i32) (local $c1 i32) (local $p i32) (local $t i32) (local $q i32) (local $w i32)
    (local $pp i32) (local $pend i32) (local $mp i32) (local $ap i32) (local $panelBytes i32)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128)
    (local $a2 v128) (local $b2 v128) (local $a3 v128) (local $b3 v128)
    (local $klo v128) (local $khi v128) (local $m v128) (local $sign v128) (local $pair v128)
    (local.set $sign (v128.const i32x4 0 0x80000000 0 0x80000000))
    (local.set $pair (v128.const i64x2 1 2))
    (local.set $panelBytes (i32.shl (local.get $G) (i32.const 5)))
    (block $done
      (br_if $done (i32.or (i32.or (i32.eqz (local.get $G)) (i32.eqz (local.get $panels))) (i32.eqz (local.get $tiles))))
      (loop $cblock
        (local.set $c1 (i32.add (local.get $c0) (i32.const 256)))
        (if (i32.gt_u (local.get $c1) (local.get $G)) (then (local.set $c1 (local.get $G))))
        ;; the block's sign masks: cluster c0 + i, draw d at masks + 256 i + 8 d (i64: 1 << 63 when w = -1)
        (local.set $mp (local.get $masks))
        (local.set $pp (i32.add (local.get $bits) (i32.shl (local.get $c0) (i32.const 2))))
        (local.set $pend (i32.add (local.get $bits) (i32.shl (local.get $c1) (i32.const 2))))
        (loop $expand
          (local.set $w (i32.load (local.get $pp)))
          (local.set $q (i32.const 0))
          (loop $pairs
            (v128.store (i32.add (local.get $mp) (i32.shl (local.get $q) (i32.const 4)))
              (v128.and
                (i64x2.ne
                  (v128.and (i64x2.splat (i64.extend_i32_u (i32.shr_u (local.get $w) (i32.shl (local.get $q) (i32.const 1)))))
                    (local.get $pair))
                  (v128.const i64x2 0 0))
                (local.get $sign)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br_if $pairs (i32.lt_u (local.get $q) (i32.shl (local.get $tiles) (i32.const 1)))))
          (local.set $mp (i32.add (local.get $mp) (i32.const 256)))
          (local.set $pp (i32.add (local.get $pp) (i32.const 4)))
          (br_if $expand (i32.lt_u (local.get $pp) (local.get $pend))))
        (local.set $p (i32.const 0))
        (loop $panel
          (local.set $t (i32.const 0))
          (loop $tile
            (local.set $ap (i32.add (local.get $acc)
              (i32.add (i32.shl (local.get $p) (i32.const 10)) (i32.shl (local.get $t) (i32.const 7)))))
            (local.set $a0 (v128.load (local.get $ap)))
            (local.set $b0 (v128.load offset=16 (local.get $ap)))
            (local.set $a1 (v128.load offset=32 (local.get $ap)))
            (local.set $b1 (v128.load offset=48 (local.get $ap)))
            (local.set $a2 (v128.load offset=64 (local.get $ap)))
            (local.set $b2 (v128.load offset=80 (local.get $ap)))
            (local.set $a3 (v128.load offset=96 (local.get $ap)))
            (local.set $b3 (v128.load offset=112 (local.get $ap)))
            (local.set $pp (i32.add (i32.add (local.get $s) (i32.mul (local.get $p) (local.get $panelBytes)))
              (i32.shl (local.get $c0) (i32.const 5))))
            (local.set $pend (i32.add (local.get $pp) (i32.shl (i32.sub (local.get $c1) (local.get $c0)) (i32.const 5))))
            (local.set $mp (i32.add (local.get $masks) (i32.shl (local.get $t) (i32.const 5))))
            (loop $c
              (local.set $klo (v128.load (local.get $pp)))
              (local.set $khi (v128.load offset=16 (local.get $pp)))
              (local.set $m (v128.load64_splat (local.get $mp)))
              (local.set $a0 (f64x2.add (local.get $a0) (v128.xor (local.get $klo) (local.get $m))))
              (local.set $b0 (f64x2.add (local.get $b0) (v128.xor (local.get $khi) (local.get $m))))
              (local.set $m (v128.load64_splat offset=8 (local.get $mp)))
              (local.set $a1 (f64x2.add (local.get $a1) (v128.xor (local.get $klo) (local.get $m))))
              (local.set $b1 (f64x2.add (local.get $b1) (v128.xor (local.get $khi) (local.get $m))))
              (local.set $m (v128.load64_splat offset=16 (local.get $mp)))
              (local.set $a2 (f64x2.add (local.get $a2) (v128.xor (local.get $klo) (local.get $m))))
              (local.set $b2 (f64x2.add (local.get $b2) (v128.xor (local.get $khi) (local.get $m))))
              (local.set $m (v128.load64_splat offset=24 (local.get $mp)))
              (local.set $a3 (f64x2.add (local.get $a3) (v128.xor (local.get $klo) (local.get $m))))
              (local.set $b3 (f64x2.add (local.get $b3) (v128.xor (local.get $khi) (local.get $m))))
              (local.set $pp (i32.add (local.get $pp) (i32.const 32)))
              (local.set $mp (i32.add (local.get $mp) (i32.const 256)))
              (br_if $c (i32.lt_u (local.get $pp) (local.get $pend))))
            (v128.store (local.get $ap) (local.get $a0))
            (v128.store offset=16 (local.get $ap) (local.get $b0))
            (v128.store offset=32 (local.get $ap) (local.get $a1))
            (v128.store offset=48 (local.get $ap) (local.get $b1))
            (v128.store offset=64 (local.get $ap) (local.get $a2))
            (v128.store offset=80 (local.get $ap) (local.get $b2))
            (v128.store offset=96 (local.get $ap) (local.get $a3))
            (v128.store offset=112 (local.get $ap) (local.get $b3))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br_if $tile (i32.lt_u (local.get $t) (local.get $tiles))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $panel (i32.lt_u (local.get $p) (local.get $panels))))
        (local.set $c0 (local.get $c1))
        (br_if $cblock (i32.lt_u (local.get $c0) (local.get $G)))))))
