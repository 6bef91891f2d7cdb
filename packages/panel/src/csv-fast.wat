;; All-numeric CSV data lines -> Float64 columns (csv-fast.ts drives it). Exact: Clinger's fast path
;; for up to 12 digits, else Eisel-Lemire over a 128-bit table of powers of five (written by JS at
;; offset POW5); tokens with more than 19 digits, or the rare product Eisel-Lemire cannot decide, go
;; to the imported `slow` (JS Number). Any line that is not plain numbers / NA tokens with exactly
;; ncols fields sets status 1 and the caller falls back to the general reader. Branches that real data
;; sends either way at random (a number's sign, whether it fits in 53 bits) are avoided: a
;; mispredicted branch costs about as much as converting a number.
;;
;; Memory: 0 consumed (i32), 4 status (i32), 64 powers of ten 1e0..1e22 (f64), 256 NA tokens (i32
;; count, then per token a length byte and its bytes), 1024 nulls per column (i32), 5120 powers of
;; ten 10^0..10^16 (i64, data), 5376 the 17 shuffles that move a run of k digits to the end of a
;; vector (data), 5760 the parse's SIMD constants (data), 8192 POW5 (651 x (hi, lo) u64 for
;; q = -342..308), from 65536 the input and output buffers (set by JS). Input is read up to 16 bytes
;; past its end (the caller leaves room).
(module
  (import "env" "slow" (func $slow (param i32 i32) (result f64)))
  (import "env" "infinite" (func $infinite (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 5120) "\01\00\00\00\00\00\00\00\0a\00\00\00\00\00\00\00\64\00\00\00\00\00\00\00\e8\03\00\00\00\00\00\00\10\27\00\00\00\00\00\00\a0\86\01\00\00\00\00\00\40\42\0f\00\00\00\00\00\80\96\98\00\00\00\00\00\00\e1\f5\05\00\00\00\00\00\ca\9a\3b\00\00\00\00\00\e4\0b\54\02\00\00\00\00\e8\76\48\17\00\00\00\00\10\a5\d4\e8\00\00\00\00\a0\72\4e\18\09\00\00\00\40\7a\10\f3\5a\00\00\00\80\c6\a4\7e\8d\03\00\00\00\c1\6f\f2\86\23\00")
  (data (i32.const 5376) "\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\00\80\80\80\80\80\80\80\80\80\80\80\80\80\80\00\01\80\80\80\80\80\80\80\80\80\80\80\80\80\00\01\02\80\80\80\80\80\80\80\80\80\80\80\80\00\01\02\03\80\80\80\80\80\80\80\80\80\80\80\00\01\02\03\04\80\80\80\80\80\80\80\80\80\80\00\01\02\03\04\05\80\80\80\80\80\80\80\80\80\00\01\02\03\04\05\06\80\80\80\80\80\80\80\80\00\01\02\03\04\05\06\07\80\80\80\80\80\80\80\00\01\02\03\04\05\06\07\08\80\80\80\80\80\80\00\01\02\03\04\05\06\07\08\09\80\80\80\80\80\00\01\02\03\04\05\06\07\08\09\0a\80\80\80\80\00\01\02\03\04\05\06\07\08\09\0a\0b\80\80\80\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\80\80\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\80\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f")

  (data (i32.const 5760) "\46\46\46\46\46\46\46\46\46\46\46\46\46\46\46\46\75\75\75\75\75\75\75\75\75\75\75\75\75\75\75\75\30\30\30\30\30\30\30\30\30\30\30\30\30\30\30\30\01\0a\01\0a\01\0a\01\0a\01\0a\01\0a\01\0a\01\0a\64\00\01\00\64\00\01\00\64\00\01\00\64\00\01\00\10\27\01\00\10\27\01\00\10\27\01\00\10\27\01\00")

  ;; w * 10^q (w > 0), correctly rounded, sign bit `sign`; NaN when undecided (caller asks JS)
  (func $eisel (param $w i64) (param $q i32) (param $sign i64) (result f64)
    (local $lz i64) (local $at i32) (local $hi i64) (local $lo i64) (local $s i64) (local $upper i64)
    (local $shift i64) (local $m i64) (local $p2 i64)
    (local $t5 i64) (local $ta0 i64) (local $ta1 i64) (local $tb0 i64) (local $tb1 i64) (local $tp01 i64) (local $tp10 i64)
    (if (i32.lt_s (local.get $q) (i32.const -342))
      (then (return (f64.reinterpret_i64 (local.get $sign)))))
    (if (i32.gt_s (local.get $q) (i32.const 308))
      (then (return (f64.reinterpret_i64 (i64.or (local.get $sign) (i64.const 0x7FF0000000000000))))))
    (local.set $lz (i64.clz (local.get $w)))
    (local.set $w (i64.shl (local.get $w) (local.get $lz)))
    (local.set $at (i32.add (i32.const 8192) (i32.shl (i32.add (local.get $q) (i32.const 342)) (i32.const 4))))
        ;; the high 64 bits of w * T[q].hi, from 32-bit halves
    (local.set $t5 (i64.load (local.get $at)))
    (local.set $ta0 (i64.and (local.get $w) (i64.const 0xFFFFFFFF)))
    (local.set $ta1 (i64.shr_u (local.get $w) (i64.const 32)))
    (local.set $tb0 (i64.and (local.get $t5) (i64.const 0xFFFFFFFF)))
    (local.set $tb1 (i64.shr_u (local.get $t5) (i64.const 32)))
    (local.set $tp01 (i64.mul (local.get $ta0) (local.get $tb1)))
    (local.set $tp10 (i64.mul (local.get $ta1) (local.get $tb0)))
    (local.set $hi
      (i64.add
        (i64.add (i64.mul (local.get $ta1) (local.get $tb1)) (i64.shr_u (local.get $tp01) (i64.const 32)))
        (i64.add (i64.shr_u (local.get $tp10) (i64.const 32))
          (i64.shr_u
            (i64.add
              (i64.add (i64.shr_u (i64.mul (local.get $ta0) (local.get $tb0)) (i64.const 32)) (i64.and (local.get $tp01) (i64.const 0xFFFFFFFF)))
              (i64.and (local.get $tp10) (i64.const 0xFFFFFFFF)))
            (i64.const 32)))))
    (local.set $lo (i64.mul (local.get $w) (local.get $t5)))
    (if (i64.eq (i64.and (local.get $hi) (i64.const 0x1FF)) (i64.const 0x1FF))
      (then
        (local.set $ta0 (i64.and (local.get $w) (i64.const 0xFFFFFFFF)))
    (local.set $ta1 (i64.shr_u (local.get $w) (i64.const 32)))
    (local.set $tb0 (i64.and (i64.load offset=8 (local.get $at)) (i64.const 0xFFFFFFFF)))
    (local.set $tb1 (i64.shr_u (i64.load offset=8 (local.get $at)) (i64.const 32)))
    (local.set $tp01 (i64.mul (local.get $ta0) (local.get $tb1)))
    (local.set $tp10 (i64.mul (local.get $ta1) (local.get $tb0)))
    (local.set $s
      (i64.add
        (i64.add (i64.mul (local.get $ta1) (local.get $tb1)) (i64.shr_u (local.get $tp01) (i64.const 32)))
        (i64.add (i64.shr_u (local.get $tp10) (i64.const 32))
          (i64.shr_u
            (i64.add
              (i64.add (i64.shr_u (i64.mul (local.get $ta0) (local.get $tb0)) (i64.const 32)) (i64.and (local.get $tp01) (i64.const 0xFFFFFFFF)))
              (i64.and (local.get $tp10) (i64.const 0xFFFFFFFF)))
            (i64.const 32)))))
        (local.set $lo (i64.add (local.get $lo) (local.get $s)))
        (if (i64.gt_u (local.get $s) (local.get $lo))
          (then (local.set $hi (i64.add (local.get $hi) (i64.const 1)))))))
    ;; the product may be short by one unit in the last place: undecided outside the exact range
    (if (i64.eq (local.get $lo) (i64.const -1))
      (then
        (if (i32.or (i32.lt_s (local.get $q) (i32.const -27)) (i32.gt_s (local.get $q) (i32.const 55)))
          (then (return (f64.const nan))))))
    (local.set $upper (i64.shr_u (local.get $hi) (i64.const 63)))
    (local.set $shift (i64.add (local.get $upper) (i64.const 9)))
    (local.set $m (i64.shr_u (local.get $hi) (local.get $shift)))
    ;; binary exponent: floor(q log2 10) + 63 + upper - lz + 1023
    (local.set $p2
      (i64.add
        (i64.sub
          (i64.add (i64.add (i64.shr_s (i64.mul (i64.extend_i32_s (local.get $q)) (i64.const 217706)) (i64.const 16)) (i64.const 63)) (local.get $upper))
          (local.get $lz))
        (i64.const 1023)))
    (if (i64.le_s (local.get $p2) (i64.const 0))
      (then
        ;; subnormal
        (if (i64.ge_s (i64.sub (i64.const 1) (local.get $p2)) (i64.const 64))
          (then (return (f64.reinterpret_i64 (local.get $sign)))))
        (local.set $m (i64.shr_u (local.get $m) (i64.sub (i64.const 1) (local.get $p2))))
        (local.set $m (i64.add (local.get $m) (i64.and (local.get $m) (i64.const 1))))
        (local.set $m (i64.shr_u (local.get $m) (i64.const 1)))
        (local.set $p2 (select (i64.const 0) (i64.const 1) (i64.lt_u (local.get $m) (i64.const 0x10000000000000))))
        (return (f64.reinterpret_i64 (i64.or (local.get $sign) (i64.or (local.get $m) (i64.shl (local.get $p2) (i64.const 52))))))))
    ;; exactly halfway between two doubles: round to even
    (if (i64.le_u (local.get $lo) (i64.const 1))
      (then
        (if (i32.and (i32.and (i32.ge_s (local.get $q) (i32.const -4)) (i32.le_s (local.get $q) (i32.const 23)))
                     (i64.eq (i64.and (local.get $m) (i64.const 3)) (i64.const 1)))
          (then
            (if (i64.eq (i64.shl (local.get $m) (local.get $shift)) (local.get $hi))
              (then (local.set $m (i64.and (local.get $m) (i64.const -2)))))))))
    (local.set $m (i64.add (local.get $m) (i64.and (local.get $m) (i64.const 1))))
    (local.set $m (i64.shr_u (local.get $m) (i64.const 1)))
    (if (i64.ge_u (local.get $m) (i64.const 0x20000000000000))
      (then
        (local.set $m (i64.const 0x10000000000000))
        (local.set $p2 (i64.add (local.get $p2) (i64.const 1)))))
    (local.set $m (i64.and (local.get $m) (i64.const 0xFFFFFFFFFFFFF)))
    (if (i64.ge_s (local.get $p2) (i64.const 0x7FF))
      (then (return (f64.reinterpret_i64 (i64.or (local.get $sign) (i64.const 0x7FF0000000000000))))))
    (f64.reinterpret_i64 (i64.or (local.get $sign) (i64.or (local.get $m) (i64.shl (local.get $p2) (i64.const 52))))))

  ;; reports the infinite fields of a complete line (only then: an unfinished line is parsed again)
  (func $lineInfinities (param $row i32) (param $outBase i32) (param $stride i32) (param $ncols i32)
    (local $c i32) (local $at i32)
    (local.set $at (i32.add (local.get $outBase) (i32.shl (local.get $row) (i32.const 3))))
    (loop $cols
      (if (f64.eq (f64.abs (f64.load (local.get $at))) (f64.const inf))
        (then (call $infinite (local.get $c) (local.get $row))))
      (local.set $at (i32.add (local.get $at) (local.get $stride)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $cols (i32.lt_u (local.get $c) (local.get $ncols)))))

  ;; takes back the NA counts of the first `fields` fields of an unfinished line (it is parsed again)
  (func $undoNulls (param $row i32) (param $outBase i32) (param $stride i32) (param $fields i32)
    (local $c i32) (local $at i32) (local $n i32)
    (local.set $at (i32.add (local.get $outBase) (i32.shl (local.get $row) (i32.const 3))))
    (block $end
      (loop $cols
        (br_if $end (i32.ge_u (local.get $c) (local.get $fields)))
        (if (f64.ne (f64.load (local.get $at)) (f64.load (local.get $at)))
          (then
            (local.set $n (i32.add (i32.const 1024) (i32.shl (local.get $c) (i32.const 2))))
            (i32.store (local.get $n) (i32.sub (i32.load (local.get $n)) (i32.const 1)))))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cols))))

  ;; NA bits of `rows` f64 values at src (bit set where the value is NaN), from bit `shift` (0..7) of
  ;; dst on: whole 8-byte words are written, the bits below `shift` as 0.
  (func (export "naBits") (param $src i32) (param $rows i32) (param $dst i32) (param $shift i32)
    (local $end i32) (local $bit i64) (local $acc i64) (local $v f64)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $rows) (i32.const 3))))
    (local.set $bit (i64.extend_i32_u (local.get $shift)))
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $v (f64.load (local.get $src)))
        (local.set $acc (i64.or (local.get $acc) (i64.shl (i64.extend_i32_u (f64.ne (local.get $v) (local.get $v))) (local.get $bit))))
        (local.set $bit (i64.add (local.get $bit) (i64.const 1)))
        (if (i64.eq (local.get $bit) (i64.const 64))
          (then
            (i64.store (local.get $dst) (local.get $acc))
            (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
            (local.set $acc (i64.const 0))
            (local.set $bit (i64.const 0))))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (br $values)))
    (i64.store (local.get $dst) (local.get $acc)))

  ;; A token (bytes [start, start + len)): its value when it is a plain decimal number, else status 2 in
  ;; memory[4]. For tests: the same grammar and conversion as `parse`, with `len` bytes then a 0 byte.
  (func (export "token") (param $start i32) (param $len i32) (result f64)
    (local $r i32)
    (i32.store8 (i32.add (local.get $start) (local.get $len)) (i32.const 0))
    (i32.store (i32.const 4) (i32.const 0))
    ;; one column, no NA tokens, final: a token is a one-line file
    (i32.store (i32.const 256) (i32.const 0))
    (local.set $r (call $parse (local.get $start) (i32.add (local.get $start) (local.get $len)) (i32.const 1) (i32.const 1)
      (i32.const 44) (i32.const 0) (i32.const 16) (i32.const 1)))
    (if (result f64) (i32.and (i32.eq (local.get $r) (i32.const 1)) (i32.eqz (i32.load (i32.const 4))))
      (then (f64.load (i32.const 16)))
      (else (i32.store (i32.const 4) (i32.const 2)) (f64.const nan))))

  ;; Parses the complete lines of [start, end) (end holds a 0 byte; `final`: the last line needs no
  ;; line break). Field c of line r goes to outBase + (c capRows + r) 8. Returns the rows parsed;
  ;; memory[0] = the offset after the last complete line, memory[4] = 1 when the input does not qualify.
  (func $parse (export "parse") (param $start i32) (param $end i32) (param $final i32) (param $ncols i32)
    (param $delim i32) (param $crlf i32) (param $outBase i32) (param $capRows i32) (result i32)
    (local $pos i32) (local $line i32) (local $rows i32) (local $col i32) (local $out i32) (local $stride i32)
    (local $p i32) (local $c i32) (local $d i32) (local $neg i32) (local $w i64) (local $nd i32) (local $e i32)
    (local $number i32) (local $es i32) (local $ev i32) (local $v f64) (local $k i32) (local $t i32) (local $tl i32)
    (local $i i32) (local $ok i32) (local $x i64) (local $linf i32) (local $vd v128) (local $ip i32)
    (local $k46 v128) (local $k117 v128) (local $k48 v128) (local $k2561 v128) (local $k100 v128) (local $k1e4 v128)
    (local.set $stride (i32.shl (local.get $capRows) (i32.const 3)))
    ;; the SIMD constants, loaded once (a v128.const is rebuilt at every use)
    (local.set $k46 (v128.load offset=5760 (i32.const 0)))
    (local.set $k117 (v128.load offset=5776 (i32.const 0)))
    (local.set $k48 (v128.load offset=5792 (i32.const 0)))
    (local.set $k2561 (v128.load offset=5808 (i32.const 0)))
    (local.set $k100 (v128.load offset=5824 (i32.const 0)))
    (local.set $k1e4 (v128.load offset=5840 (i32.const 0)))
    (local.set $pos (local.get $start))
    (block $incomplete
      (block $fail
        (block $done
          (loop $lines
            (br_if $done (i32.ge_u (local.get $pos) (local.get $end)))
            (local.set $line (local.get $pos))
            (local.set $out (i32.add (local.get $outBase) (i32.shl (local.get $rows) (i32.const 3))))
            (local.set $col (i32.const 0))
            (local.set $linf (i32.const 0))
            ;; a blank line (DuckDB skips it, or reads an empty field): not ours
            (local.set $c (i32.load8_u (local.get $pos)))
            (br_if $fail (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13))))
            (loop $fields
              ;; ---- one field: a plain decimal number?
              (local.set $w (i64.const 0))
              (local.set $e (i32.const 0))
              ;; the sign without a branch (signs of successive numbers are as good as random)
              (local.set $c (i32.load8_u (local.get $pos)))
              (local.set $neg (i32.eq (local.get $c) (i32.const 45)))
              (local.set $p (i32.add (local.get $pos) (i32.or (local.get $neg) (i32.eq (local.get $c) (i32.const 43)))))
              (local.set $c (i32.load8_u (local.get $p)))
              ;; integer digits: all counted in nd (leading zeros too: a bound on w's digits is all nd must give)
              (local.set $ip (local.get $p))
              (block $intEnd
                (loop $int
                  (local.set $d (i32.sub (local.get $c) (i32.const 48)))
                  (br_if $intEnd (i32.ge_u (local.get $d) (i32.const 10)))
                  (local.set $w (i64.add (i64.mul (local.get $w) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (local.set $c (i32.load8_u (local.get $p)))
                  (br $int)))
              (local.set $nd (i32.sub (local.get $p) (local.get $ip)))
              (local.set $number (i32.const 0))
              (if (i32.eq (local.get $c) (i32.const 46))
                (then
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  ;; up to 16 fraction digits at once (SIMD): the run of digits in the next 16 bytes, moved to
                  ;; the end of a vector (leading lanes zero) and summed in pairs, fours and eights
                  ;; digits: byte + 0x46 is signed > 117 exactly for '0'..'9' (one signed compare)
                  (local.set $vd (v128.load (local.get $p)))
                  (local.set $k (i32.ctz (i32.xor (i8x16.bitmask (i8x16.gt_s (i8x16.add (local.get $vd) (local.get $k46))
                                                                         (local.get $k117)))
                                                  (i32.const 0x1FFFF))))
                  (if (i32.and (i32.ne (local.get $k) (i32.const 0)) (i32.le_u (i32.add (local.get $nd) (local.get $k)) (i32.const 19)))
                    (then
                      (local.set $vd (i8x16.swizzle (i8x16.sub (local.get $vd) (local.get $k48))
                                                    (v128.load offset=5376 (i32.shl (local.get $k) (i32.const 4)))))
                      ;; pairs: with a the first digit and b the second, a 16-bit lane a + 256 b times 2561 (1 + 10 * 256)
                      ;; holds 10 a + b in its high byte
                      (local.set $vd (i16x8.shr_u (i16x8.mul (local.get $vd) (local.get $k2561)) (i32.const 8)))
                      (local.set $vd (i32x4.dot_i16x8_s (local.get $vd) (local.get $k100)))
                      ;; the four 4-digit groups (< 10^4) narrowed to 16 bits and paired: the high and low 8 digits
                      (local.set $vd (i32x4.dot_i16x8_s (i16x8.narrow_i32x4_u (local.get $vd) (local.get $vd)) (local.get $k1e4)))
                      (local.set $x (i64x2.extract_lane 0 (local.get $vd)))
                      (local.set $w (i64.add (i64.mul (local.get $w) (i64.load offset=5120 (i32.shl (local.get $k) (i32.const 3))))
                        (i64.add (i64.mul (i64.and (local.get $x) (i64.const 0xFFFFFFFF)) (i64.const 100000000)) (i64.shr_u (local.get $x) (i64.const 32)))))
                      (local.set $nd (i32.add (local.get $nd) (local.get $k)))
                      (local.set $e (i32.sub (local.get $e) (local.get $k)))
                      (local.set $p (i32.add (local.get $p) (local.get $k)))))
                  (local.set $c (i32.load8_u (local.get $p)))
                  ;; digits past the vector's 16, one at a time (a number with more than 19 digits goes to JS)
                  (block $fracEnd
                    (loop $frac
                      (local.set $d (i32.sub (local.get $c) (i32.const 48)))
                      (br_if $fracEnd (i32.ge_u (local.get $d) (i32.const 10)))
                      (local.set $w (i64.add (i64.mul (local.get $w) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
                      (local.set $nd (i32.add (local.get $nd) (i32.const 1)))
                      (local.set $e (i32.sub (local.get $e) (i32.const 1)))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (local.set $c (i32.load8_u (local.get $p)))
                      (br $frac)))))
              (block $notNumber
                ;; nd counts every digit read: none, no number
                (br_if $notNumber (i32.eqz (local.get $nd)))
                (if (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 101))
                  (then
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (local.set $c (i32.load8_u (local.get $p)))
                    (local.set $es (i32.const 0))
                    (if (i32.eq (local.get $c) (i32.const 45))
                      (then (local.set $es (i32.const 1)) (local.set $p (i32.add (local.get $p) (i32.const 1))) (local.set $c (i32.load8_u (local.get $p))))
                      (else (if (i32.eq (local.get $c) (i32.const 43))
                        (then (local.set $p (i32.add (local.get $p) (i32.const 1))) (local.set $c (i32.load8_u (local.get $p)))))))
                    (br_if $notNumber (i32.ge_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))
                    (local.set $ev (i32.const 0))
                    (block $expEnd
                      (loop $exp
                        (local.set $d (i32.sub (local.get $c) (i32.const 48)))
                        (br_if $expEnd (i32.ge_u (local.get $d) (i32.const 10)))
                        ;; an exponent past 100000 (with as many digits around it) is JS Number's to decide
                        (if (i32.lt_u (local.get $ev) (i32.const 100000))
                          (then (local.set $ev (i32.add (i32.mul (local.get $ev) (i32.const 10)) (local.get $d))))
                          (else (local.set $nd (i32.const 99))))
                        (local.set $p (i32.add (local.get $p) (i32.const 1)))
                        (local.set $c (i32.load8_u (local.get $p)))
                        (br $exp)))
                    (local.set $e (select (i32.sub (local.get $e) (local.get $ev)) (i32.add (local.get $e) (local.get $ev)) (local.get $es)))))
                ;; the token must end the field (a delimiter most often: tested alone first)
                (if (i32.ne (local.get $c) (local.get $delim))
                  (then
                    (br_if $notNumber
                      (i32.eqz (i32.or (i32.eq (local.get $p) (local.get $end))
                        (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13))))))))
                ;; ---- its value
                (if (i32.gt_u (local.get $nd) (i32.const 19))
                  (then (local.set $v (call $slow (local.get $pos) (i32.sub (local.get $p) (local.get $pos)))))
                  (else
                    (if (i64.eqz (local.get $w))
                      (then (local.set $v (select (f64.const -0) (f64.const 0) (local.get $neg))))
                      (else
                        ;; by digit count: short decimals take Clinger's path, full-precision numbers (15-17 digits)
                        ;; Eisel-Lemire. Where w <= 2^53 decides, they fall on both sides at random, and a branch that
                        ;; goes either way at random costs more than Eisel-Lemire does.
                        (if (i32.and (i32.le_u (local.get $nd) (i32.const 12))
                                     (i32.le_u (i32.add (local.get $e) (i32.const 22)) (i32.const 44)))
                          (then
                            ;; Clinger: both operands exact (w < 10^12), one rounding
                            (local.set $v (f64.convert_i64_u (local.get $w)))
                            (if (i32.lt_s (local.get $e) (i32.const 0))
                              (then (local.set $v (f64.div (local.get $v) (f64.load offset=64 (i32.shl (i32.sub (i32.const 0) (local.get $e)) (i32.const 3))))))
                              (else (local.set $v (f64.mul (local.get $v) (f64.load offset=64 (i32.shl (local.get $e) (i32.const 3)))))))
                            (if (local.get $neg) (then (local.set $v (f64.neg (local.get $v))))))
                          (else
                            (local.set $v (call $eisel (local.get $w) (local.get $e) (i64.shl (i64.extend_i32_u (local.get $neg)) (i64.const 63))))
                            (if (f64.ne (local.get $v) (local.get $v))
                              (then (local.set $v (call $slow (local.get $pos) (i32.sub (local.get $p) (local.get $pos))))))))))))
                (if (f64.eq (f64.abs (local.get $v)) (f64.const inf))
                  (then (local.set $linf (i32.const 1))))
                (local.set $pos (local.get $p))
                (local.set $number (i32.const 1)))
              ;; not a number: the field must be an NA token
              (if (i32.eqz (local.get $number))
                (then
                  ;; ---- not a number: an NA token as the whole field?
                  (local.set $p (local.get $pos))
                  (block $scanEnd
                    (loop $scan
                      (br_if $scanEnd (i32.eq (local.get $p) (local.get $end)))
                      (local.set $c (i32.load8_u (local.get $p)))
                      (br_if $scanEnd (i32.or (i32.eq (local.get $c) (local.get $delim))
                                              (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13)))))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (br $scan)))
                  (local.set $k (i32.load (i32.const 256)))
                  (local.set $t (i32.const 260))
                  (local.set $ok (i32.const 0))
                  (block $matched
                    (loop $tokens
                      (br_if $matched (i32.eqz (local.get $k)))
                      (local.set $tl (i32.load8_u (local.get $t)))
                      (if (i32.eq (local.get $tl) (i32.sub (local.get $p) (local.get $pos)))
                        (then
                          (local.set $i (i32.const 0))
                          (block $differ
                            (loop $bytes
                              (if (i32.eq (local.get $i) (local.get $tl))
                                (then (local.set $ok (i32.const 1)) (br $matched)))
                              (br_if $differ (i32.ne (i32.load8_u (i32.add (local.get $pos) (local.get $i)))
                                                     (i32.load8_u offset=1 (i32.add (local.get $t) (local.get $i)))))
                              (local.set $i (i32.add (local.get $i) (i32.const 1)))
                              (br $bytes)))))
                      (local.set $t (i32.add (i32.add (local.get $t) (i32.const 1)) (local.get $tl)))
                      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                      (br $tokens)))
                  (br_if $fail (i32.eqz (local.get $ok)))
                  (local.set $v (f64.const nan))
                  (local.set $i (i32.add (i32.const 1024) (i32.shl (local.get $col) (i32.const 2))))
                  (i32.store (local.get $i) (i32.add (i32.load (local.get $i)) (i32.const 1)))
                  (local.set $pos (local.get $p))))
              (f64.store (local.get $out) (local.get $v))
              (local.set $out (i32.add (local.get $out) (local.get $stride)))
              (local.set $col (i32.add (local.get $col) (i32.const 1)))
              ;; ---- what ends the field
              (if (i32.eq (local.get $pos) (local.get $end))
                (then
                  (br_if $incomplete (i32.eqz (local.get $final)))
                  (br_if $fail (i32.ne (local.get $col) (local.get $ncols)))
                  (if (local.get $linf) (then (call $lineInfinities (local.get $rows) (local.get $outBase) (local.get $stride) (local.get $ncols))))
                  (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
                  (br $done)))
              (local.set $c (i32.load8_u (local.get $pos)))
              (if (i32.eq (local.get $c) (local.get $delim))
                (then
                  (br_if $fail (i32.eq (local.get $col) (local.get $ncols)))
                  (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
                  (br $fields)))
              (if (i32.eq (local.get $c) (i32.const 13))
                (then
                  (br_if $fail (i32.eqz (local.get $crlf)))
                  (if (i32.eq (i32.add (local.get $pos) (i32.const 1)) (local.get $end))
                    (then (br_if $incomplete (i32.eqz (local.get $final))) (br $fail)))
                  (br_if $fail (i32.ne (i32.load8_u offset=1 (local.get $pos)) (i32.const 10)))
                  (local.set $pos (i32.add (local.get $pos) (i32.const 2))))
                (else
                  ;; a line feed (anything else failed the field above)
                  (br_if $fail (local.get $crlf))
                  (local.set $pos (i32.add (local.get $pos) (i32.const 1)))))
              (br_if $fail (i32.ne (local.get $col) (local.get $ncols)))
              (if (local.get $linf) (then (call $lineInfinities (local.get $rows) (local.get $outBase) (local.get $stride) (local.get $ncols))))
              (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
              (br $lines))))
        ;; done: every line of the input parsed
        (i32.store (i32.const 0) (local.get $pos))
        (return (local.get $rows)))
      ;; fail: unless the failing line is the unfinished last one, the input does not qualify
      (if (i32.eqz (local.get $final))
        (then
          (local.set $p (local.get $line))
          (block $found
            (loop $nl
              (br_if $incomplete (i32.eq (local.get $p) (local.get $end)))
              (br_if $found (i32.eq (i32.load8_u (local.get $p)) (i32.const 10)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $nl)))))
      (i32.store (i32.const 4) (i32.const 1))
      (i32.store (i32.const 0) (local.get $line))
      (return (local.get $rows)))
    ;; incomplete: the last line continues past `end`
    (call $undoNulls (local.get $rows) (local.get $outBase) (local.get $stride) (local.get $col))
    (i32.store (i32.const 0) (local.get $line))
    (local.get $rows))
)
