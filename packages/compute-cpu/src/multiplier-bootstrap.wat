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
;; genBytes / transposeBytes / accumulateTable: the same product by table lookup (the "four Russians"
;;   idea; for many draws): clusters go in blocks of eight, whose 2^8 signed sums
;;   T[i] = sum_c (bit c of i ? -S_c : S_c) are built once per block and panel of eight columns
;;   (T[i] = T[i & (i - 1)] - 2 S_(lowest bit of i)), then every draw adds one table row, picked by
;;   the draw's byte of eight weight bits: 8 x fewer additions than sign flips, no per-draw sign
;;   work. Sums run over the blocks in order, each block's sum in the table's order: deterministic,
;;   but not bit-identical to the plain loop (a few ulps apart). genBytes writes the weights
;;   draw-major (byte c >> 3 of draw d at out + d stride, bit c & 7 set when weight (d, c) is -1);
;;   transposeBytes copies the bytes of nj blocks from j0 on into block-major order (block jj's
;;   draws contiguous at tbuf + jj nb); accumulateTable adds, for those blocks and one panel of S
;;   (eight columns; cluster c's eight values at s + 64 c), acc[d] += T[byte] (64 bytes a draw).
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
        (br_if $cblock (i32.lt_u (local.get $c0) (local.get $G))))));; the weight bits of nb draws, draw-major, one byte per eight clusters (see the header); eight
  ;; generator steps a byte, unrolled, then the last G mod 8 clusters one at a time
  (func (export "genBytes") (param $state i32) (param $out i32) (param $G i32) (param $nb i32) (param $stride i32)
    (local $s0 i64) (local $s1 i64) (local $d i32) (local $c i32) (local $byte i32) (local $p i32) (local $pend i32) (local $rest i32)
    (local.set $s0 (i64.load (local.get $state)))
    (local.set $s1 (i64.load offset=8 (local.get $state)))
    (local.set $rest (i32.and (local.get $G) (i32.const 7)))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $G)) (i32.eqz (local.get $nb))))
      (loop $draw
        (local.set $p (i32.add (local.get $out) (i32.mul (local.get $d) (local.get $stride))))
        (local.set $pend (i32.add (local.get $p) (i32.shr_u (local.get $G) (i32.const 3))))
        (if (i32.lt_u (local.get $p) (local.get $pend))
          (then
            (loop $full
            (local.set $byte (i32.const 0))
            (local.set $byte (i32.or (local.get $byte) (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1))))
            (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1)) (i64.shl (local.get $s1) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
            (local.set $byte (i32.or (local.get $byte) (i32.shl (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1)) (i32.const 1))))
            (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1)) (i64.shl (local.get $s1) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
            (local.set $byte (i32.or (local.get $byte) (i32.shl (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1)) (i32.const 2))))
            (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1)) (i64.shl (local.get $s1) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
            (local.set $byte (i32.or (local.get $byte) (i32.shl (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1)) (i32.const 3))))
            (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1)) (i64.shl (local.get $s1) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
            (local.set $byte (i32.or (local.get $byte) (i32.shl (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1)) (i32.const 4))))
            (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1)) (i64.shl (local.get $s1) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
            (local.set $byte (i32.or (local.get $byte) (i32.shl (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1)) (i32.const 5))))
            (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1)) (i64.shl (local.get $s1) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
            (local.set $byte (i32.or (local.get $byte) (i32.shl (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1)) (i32.const 6))))
            (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1)) (i64.shl (local.get $s1) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
            (local.set $byte (i32.or (local.get $byte) (i32.shl (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1)) (i32.const 7))))
            (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1)) (i64.shl (local.get $s1) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
            (i32.store8 (local.get $p) (local.get $byte))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $full (i32.lt_u (local.get $p) (local.get $pend))))))
        (if (local.get $rest)
          (then
            (local.set $byte (i32.const 0))
            (local.set $c (i32.const 0))
            (loop $tail
              (local.set $byte (i32.or (local.get $byte)
                (i32.shl
                  (i32.and (i32.xor (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))) (i32.const 1)) (i32.const 1))
                  (local.get $c))))
              (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
              (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1))
                (i64.shl (local.get $s1) (i64.const 16))))
              (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))
              (br_if $tail (i32.lt_u (local.get $c) (local.get $rest))))
            (i32.store8 (local.get $p) (local.get $byte))))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (br_if $draw (i32.lt_u (local.get $d) (local.get $nb)))))
    (i64.store (local.get $state) (local.get $s0))
    (i64.store offset=8 (local.get $state) (local.get $s1)))

  ;; tbuf[jj nb + d] = idx[d stride + j0 + jj] for jj < nj, d < nb
  (func (export "transposeBytes") (param $idx i32) (param $stride i32) (param $nb i32) (param $j0 i32) (param $nj i32) (param $tbuf i32)
    (local $d i32) (local $jj i32) (local $src i32) (local $dst i32)
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $nb)) (i32.eqz (local.get $nj))))
      (loop $draw
        (local.set $src (i32.add (local.get $idx) (i32.add (i32.mul (local.get $d) (local.get $stride)) (local.get $j0))))
        (local.set $dst (i32.add (local.get $tbuf) (local.get $d)))
        (local.set $jj (i32.const 0))
        (loop $block
          (i32.store8 (local.get $dst) (i32.load8_u (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 1)))
          (local.set $dst (i32.add (local.get $dst) (local.get $nb)))
          (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
          (br_if $block (i32.lt_u (local.get $jj) (local.get $nj))))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (br_if $draw (i32.lt_u (local.get $d) (local.get $nb))))))

;; T[i] for i < 256 of one block (rows: its eight clusters, 64 bytes each) at $table
  (func $buildTable (param $rows i32) (param $table i32)
    (local $r i32) (local $i i32) (local $rp i32) (local $sp i32) (local $tp i32)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    ;; T[0]: the eight rows summed in order
    (local.set $t0 (v128.load (local.get $rows)))
    (local.set $t1 (v128.load offset=16 (local.get $rows)))
    (local.set $t2 (v128.load offset=32 (local.get $rows)))
    (local.set $t3 (v128.load offset=48 (local.get $rows)))
    (local.set $r (i32.const 1))
    (loop $sum
      (local.set $rp (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 6))))
      (local.set $t0 (f64x2.add (local.get $t0) (v128.load (local.get $rp))))
      (local.set $t1 (f64x2.add (local.get $t1) (v128.load offset=16 (local.get $rp))))
      (local.set $t2 (f64x2.add (local.get $t2) (v128.load offset=32 (local.get $rp))))
      (local.set $t3 (f64x2.add (local.get $t3) (v128.load offset=48 (local.get $rp))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $sum (i32.lt_u (local.get $r) (i32.const 8))))
    (v128.store (local.get $table) (local.get $t0))
    (v128.store offset=16 (local.get $table) (local.get $t1))
    (v128.store offset=32 (local.get $table) (local.get $t2))
    (v128.store offset=48 (local.get $table) (local.get $t3))
    ;; T[i] = T[i & (i - 1)] - 2 S_(ctz i)
    (local.set $i (i32.const 1))
    (loop $entry
      (local.set $sp (i32.add (local.get $table) (i32.shl (i32.and (local.get $i) (i32.sub (local.get $i) (i32.const 1))) (i32.const 6))))
      (local.set $rp (i32.add (local.get $rows) (i32.shl (i32.ctz (local.get $i)) (i32.const 6))))
      (local.set $tp (i32.add (local.get $table) (i32.shl (local.get $i) (i32.const 6))))
      (local.set $t0 (v128.load (local.get $rp)))
      (local.set $t1 (v128.load offset=16 (local.get $rp)))
      (local.set $t2 (v128.load offset=32 (local.get $rp)))
      (local.set $t3 (v128.load offset=48 (local.get $rp)))
      (v128.store (local.get $tp) (f64x2.sub (v128.load (local.get $sp)) (f64x2.add (local.get $t0) (local.get $t0))))
      (v128.store offset=16 (local.get $tp) (f64x2.sub (v128.load offset=16 (local.get $sp)) (f64x2.add (local.get $t1) (local.get $t1))))
      (v128.store offset=32 (local.get $tp) (f64x2.sub (v128.load offset=32 (local.get $sp)) (f64x2.add (local.get $t2) (local.get $t2))))
      (v128.store offset=48 (local.get $tp) (f64x2.sub (v128.load offset=48 (local.get $sp)) (f64x2.add (local.get $t3) (local.get $t3))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $entry (i32.lt_u (local.get $i) (i32.const 256)))))

  ;; for blocks j0 .. j0 + nj - 1 of one panel, two at a time (tables at $table and $table + 16384):
  ;; acc[d] = (acc[d] + T_j[byte_j]) + T_(j+1)[byte_(j+1)] for d < nb (acc: nb x 64 bytes), in block order
  (func (export "accumulateTable") (param $tbuf i32) (param $nb i32) (param $j0 i32) (param $nj i32) (param $s i32) (param $acc i32) (param $table i32)
    (local $jj i32) (local $rows i32) (local $ip i32) (local $iend i32) (local $ap i32) (local $tp i32) (local $tq i32)
    (local $table2 i32) (local $nb2 i32)
    (local.set $table2 (i32.add (local.get $table) (i32.const 16384)))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $nb)) (i32.eqz (local.get $nj))))
      (loop $block
        (local.set $rows (i32.add (local.get $s) (i32.shl (i32.add (local.get $j0) (local.get $jj)) (i32.const 9))))
        (call $buildTable (local.get $rows) (local.get $table))
        (local.set $ip (i32.add (local.get $tbuf) (i32.mul (local.get $jj) (local.get $nb))))
        (local.set $iend (i32.add (local.get $ip) (local.get $nb)))
        (local.set $ap (local.get $acc))
        (if (i32.lt_u (i32.add (local.get $jj) (i32.const 1)) (local.get $nj))
          (then
            (call $buildTable (i32.add (local.get $rows) (i32.const 512)) (local.get $table2))
            (loop $draw2
              (local.set $tp (i32.add (local.get $table) (i32.shl (i32.load8_u (local.get $ip)) (i32.const 6))))
              (local.set $tq (i32.add (local.get $table2) (i32.shl (i32.load8_u (i32.add (local.get $ip) (local.get $nb))) (i32.const 6))))
              (v128.store (local.get $ap) (f64x2.add (f64x2.add (v128.load (local.get $ap)) (v128.load (local.get $tp))) (v128.load (local.get $tq))))
              (v128.store offset=16 (local.get $ap) (f64x2.add (f64x2.add (v128.load offset=16 (local.get $ap)) (v128.load offset=16 (local.get $tp))) (v128.load offset=16 (local.get $tq))))
              (v128.store offset=32 (local.get $ap) (f64x2.add (f64x2.add (v128.load offset=32 (local.get $ap)) (v128.load offset=32 (local.get $tp))) (v128.load offset=32 (local.get $tq))))
              (v128.store offset=48 (local.get $ap) (f64x2.add (f64x2.add (v128.load offset=48 (local.get $ap)) (v128.load offset=48 (local.get $tp))) (v128.load offset=48 (local.get $tq))))
              (local.set $ap (i32.add (local.get $ap) (i32.const 64)))
              (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
              (br_if $draw2 (i32.lt_u (local.get $ip) (local.get $iend))))
            (local.set $jj (i32.add (local.get $jj) (i32.const 2))))
          (else
            (loop $draw
              (local.set $tp (i32.add (local.get $table) (i32.shl (i32.load8_u (local.get $ip)) (i32.const 6))))
              (v128.store (local.get $ap) (f64x2.add (v128.load (local.get $ap)) (v128.load (local.get $tp))))
              (v128.store offset=16 (local.get $ap) (f64x2.add (v128.load offset=16 (local.get $ap)) (v128.load offset=16 (local.get $tp))))
              (v128.store offset=32 (local.get $ap) (f64x2.add (v128.load offset=32 (local.get $ap)) (v128.load offset=32 (local.get $tp))))
              (v128.store offset=48 (local.get $ap) (f64x2.add (v128.load offset=48 (local.get $ap)) (v128.load offset=48 (local.get $tp))))
              (local.set $ap (i32.add (local.get $ap) (i32.const 64)))
              (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
              (br_if $draw (i32.lt_u (local.get $ip) (local.get $iend))))
            (local.set $jj (i32.add (local.get $jj) (i32.const 1)))))
        (br_if $block (i32.lt_u (local.get $jj) (local.get $nj)))))))
