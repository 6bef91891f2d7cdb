;; The WCR bootstrap's per-draw products for a block of draws: Y = V K', float64.
;;
;; V: m4 draws x G weights, draw-major (m4 a multiple of 4; padding rows are zero).
;; K': packed in panels of four output columns; panel p holds, for d = 0..G-1, the four values
;;   K[4p + l, d] (l = 0..3) contiguously, so a panel is one stream of G x 4 doubles.
;; Y: m4 x cols, draw-major; cols = 4 x panels.
;;
;; The micro-kernel takes four draws x one panel: eight f64x2 accumulators, each a dot product
;; summed over d in order 0..G-1 with separate mul and add (no fused multiply-add), so every output
;; is bit-identical to the plain per-draw loop. The panel (G x 32 bytes) stays in L1 while the
;; block's draws pass over it.
;; The committed bytes live in wild-gemm-wasm.ts; test/wild-gemm-wasm.test.ts checks them against
;; this file and rewrites them with WRITE_WASM=1.
(module
  (memory (export "memory") 1)
  (func (export "gemm")
    (param $m4 i32) (param $G i32) (param $v i32) (param $k i32) (param $panels i32) (param $y i32)
    (local $p i32) (local $j i32) (local $kp i32) (local $kend i32) (local $v0 i32) (local $rowBytes i32)
    (local $yp i32) (local $colBytes i32)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128)
    (local $a2 v128) (local $b2 v128) (local $a3 v128) (local $b3 v128)
    (local $klo v128) (local $khi v128) (local $w v128)
    (local.set $rowBytes (i32.shl (local.get $G) (i32.const 3)))
    (local.set $colBytes (i32.shl (local.get $panels) (i32.const 5)))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $m4)) (i32.eqz (local.get $G))))
      (loop $panel
        (local.set $j (i32.const 0))
        (loop $draws
          (local.set $a0 (v128.const f64x2 0 0))
          (local.set $b0 (v128.const f64x2 0 0))
          (local.set $a1 (v128.const f64x2 0 0))
          (local.set $b1 (v128.const f64x2 0 0))
          (local.set $a2 (v128.const f64x2 0 0))
          (local.set $b2 (v128.const f64x2 0 0))
          (local.set $a3 (v128.const f64x2 0 0))
          (local.set $b3 (v128.const f64x2 0 0))
          (local.set $kp (i32.add (local.get $k) (i32.mul (local.get $p) (i32.shl (local.get $rowBytes) (i32.const 2)))))
          (local.set $kend (i32.add (local.get $kp) (i32.shl (local.get $rowBytes) (i32.const 2))))
          (local.set $v0 (i32.add (local.get $v) (i32.mul (local.get $j) (local.get $rowBytes))))
          (loop $d
            (local.set $klo (v128.load (local.get $kp)))
            (local.set $khi (v128.load offset=16 (local.get $kp)))
            (local.set $w (v128.load64_splat (local.get $v0)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $w) (local.get $klo))))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $w) (local.get $khi))))
            (local.set $w (v128.load64_splat (i32.add (local.get $v0) (local.get $rowBytes))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $w) (local.get $klo))))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $w) (local.get $khi))))
            (local.set $w (v128.load64_splat (i32.add (local.get $v0) (i32.shl (local.get $rowBytes) (i32.const 1)))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $w) (local.get $klo))))
            (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $w) (local.get $khi))))
            (local.set $w (v128.load64_splat (i32.add (local.get $v0) (i32.mul (local.get $rowBytes) (i32.const 3)))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $w) (local.get $klo))))
            (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $w) (local.get $khi))))
            (local.set $v0 (i32.add (local.get $v0) (i32.const 8)))
            (local.set $kp (i32.add (local.get $kp) (i32.const 32)))
            (br_if $d (i32.lt_u (local.get $kp) (local.get $kend))))
          ;; Y[j + r, 4p .. 4p + 3]
          (local.set $yp (i32.add (local.get $y)
            (i32.add (i32.mul (local.get $j) (local.get $colBytes)) (i32.shl (local.get $p) (i32.const 5)))))
          (v128.store (local.get $yp) (local.get $a0))
          (v128.store offset=16 (local.get $yp) (local.get $b0))
          (local.set $yp (i32.add (local.get $yp) (local.get $colBytes)))
          (v128.store (local.get $yp) (local.get $a1))
          (v128.store offset=16 (local.get $yp) (local.get $b1))
          (local.set $yp (i32.add (local.get $yp) (local.get $colBytes)))
          (v128.store (local.get $yp) (local.get $a2))
          (v128.store offset=16 (local.get $yp) (local.get $b2))
          (local.set $yp (i32.add (local.get $yp) (local.get $colBytes)))
          (v128.store (local.get $yp) (local.get $a3))
          (v128.store offset=16 (local.get $yp) (local.get $b3))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br_if $draws (i32.lt_u (local.get $j) (local.get $m4))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $panel (i32.lt_u (local.get $p) (local.get $panels)))))))
