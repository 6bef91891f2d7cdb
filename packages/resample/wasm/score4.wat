;; The per-draw CR1 score pass of the placebo engine, four draws at a time (one f64 lane per draw).
;;
;; For every row i (unit u, period t, cluster c) and every lane d:
;;   m_d = [t >= start_d(u)] - dbarU_d(u) + shift_d(t) - z_i . gamma_d
;;   score_d(c) += m_d (e_i - beta_d m_d)
;; Lanes 0-1 live in one v128 ("lo") and lanes 2-3 in another ("hi"). Each row's controls are loaded
;; once and serve all four draws; that sharing, not the SIMD width alone, is the gain over the JS loop.
;;
;; Layout (byte offsets given by the caller; all arrays 16-byte aligned):
;;   unit, time, cluster: i32[n]; ey: f64[n]; z: f64[n * kp] row-major, kp even (zero-padded)
;;   start4: i32[nUnits * 4]; du4: f64[nUnits * 4]; sh4: f64[nPeriods * 4]; g4: f64[kp * 4];
;;   sc4: f64[nClusters * 4], accumulated into (the caller zeroes it).
;; Rebuild the committed bytes after editing: npm run build:wasm -w @panel-lab/resample
(module
  (memory (export "memory") 1)
  (func (export "score4")
    (param $n i32) (param $kp i32) (param $unit i32) (param $time i32) (param $cluster i32)
    (param $start4 i32) (param $du4 i32) (param $sh4 i32) (param $z i32) (param $g4 i32)
    (param $ey i32) (param $b0 f64) (param $b1 f64) (param $b2 f64) (param $b3 f64) (param $sc4 i32)
    (local $i i32) (local $u i32) (local $t i32) (local $zp i32) (local $zend i32) (local $gp i32)
    (local $p i32) (local $q i32) (local $a i32)
    (local $lo v128) (local $hi v128) (local $lo2 v128) (local $hi2 v128) (local $zk v128) (local $zk2 v128)
    (local $mlo v128) (local $mhi v128) (local $e v128) (local $blo v128) (local $bhi v128) (local $mask v128)
    (local.set $blo (f64x2.replace_lane 1 (f64x2.splat (local.get $b0)) (local.get $b1)))
    (local.set $bhi (f64x2.replace_lane 1 (f64x2.splat (local.get $b2)) (local.get $b3)))
    (local.set $zp (local.get $z))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $rows
        (local.set $u (i32.load (i32.add (local.get $unit) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $t (i32.load (i32.add (local.get $time) (i32.shl (local.get $i) (i32.const 2)))))
        ;; z_i . gamma_d: two accumulator pairs (even and odd k) halve the add latency chain
        (local.set $lo (v128.const f64x2 0 0))
        (local.set $hi (v128.const f64x2 0 0))
        (local.set $lo2 (v128.const f64x2 0 0))
        (local.set $hi2 (v128.const f64x2 0 0))
        (local.set $gp (local.get $g4))
        (local.set $zend (i32.add (local.get $zp) (i32.shl (local.get $kp) (i32.const 3))))
        (block $kdone
          (br_if $kdone (i32.eqz (local.get $kp)))
          (loop $ks
            (local.set $zk (v128.load64_splat (local.get $zp)))
            (local.set $zk2 (v128.load64_splat offset=8 (local.get $zp)))
            (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $zk) (v128.load (local.get $gp)))))
            (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $zk) (v128.load offset=16 (local.get $gp)))))
            (local.set $lo2 (f64x2.add (local.get $lo2) (f64x2.mul (local.get $zk2) (v128.load offset=32 (local.get $gp)))))
            (local.set $hi2 (f64x2.add (local.get $hi2) (f64x2.mul (local.get $zk2) (v128.load offset=48 (local.get $gp)))))
            (local.set $gp (i32.add (local.get $gp) (i32.const 64)))
            (local.set $zp (i32.add (local.get $zp) (i32.const 16)))
            (br_if $ks (i32.lt_u (local.get $zp) (local.get $zend)))))
        (local.set $lo (f64x2.add (local.get $lo) (local.get $lo2)))
        (local.set $hi (f64x2.add (local.get $hi) (local.get $hi2)))
        ;; the pseudo-treatment indicator of each lane: all-ones i32 where t >= start, as -1.0, negated
        (local.set $mask (i32x4.ge_s (i32x4.splat (local.get $t))
          (v128.load (i32.add (local.get $start4) (i32.shl (local.get $u) (i32.const 4))))))
        (local.set $p (i32.add (local.get $du4) (i32.shl (local.get $u) (i32.const 5))))
        (local.set $q (i32.add (local.get $sh4) (i32.shl (local.get $t) (i32.const 5))))
        (local.set $mlo (f64x2.sub (f64x2.add (f64x2.sub
          (f64x2.neg (f64x2.convert_low_i32x4_s (local.get $mask)))
          (v128.load (local.get $p))) (v128.load (local.get $q))) (local.get $lo)))
        (local.set $mhi (f64x2.sub (f64x2.add (f64x2.sub
          (f64x2.neg (f64x2.convert_low_i32x4_s
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $mask) (local.get $mask))))
          (v128.load offset=16 (local.get $p))) (v128.load offset=16 (local.get $q))) (local.get $hi)))
        (local.set $e (v128.load64_splat (i32.add (local.get $ey) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $a (i32.add (local.get $sc4)
          (i32.shl (i32.load (i32.add (local.get $cluster) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 5))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a))
          (f64x2.mul (local.get $mlo) (f64x2.sub (local.get $e) (f64x2.mul (local.get $blo) (local.get $mlo))))))
        (v128.store offset=16 (local.get $a) (f64x2.add (v128.load offset=16 (local.get $a))
          (f64x2.mul (local.get $mhi) (f64x2.sub (local.get $e) (f64x2.mul (local.get $bhi) (local.get $mhi))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $rows (i32.lt_u (local.get $i) (local.get $n))))))
)
