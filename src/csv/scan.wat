;; The record-boundary finder of the csv room, as WebAssembly with 128-bit SIMD. Source of src/csv/scan-wasm.ts,
;; which `node scripts/build-scan-wasm.mjs` regenerates (a test checks the two agree).
;;
;; Same rule as the JavaScript scanner in scanner.ts: quote state toggles on every '"' (a doubled "" toggles twice)
;; and a record ends at an LF outside quotes. Per 16-byte block: a bitmask of quotes and one of LFs; the prefix XOR
;; of the quote mask gives, for every byte, whether it is inside quotes; LFs outside quotes are record ends.
(module
  (memory (export "memory") 1)
  ;; Quote state carried between calls: 0 outside quotes, 1 inside.
  (global $inq (export "inQuote") (mut i32) (i32.const 0))
  ;; scan(p, len, out): finds every LF outside quotes in memory[p, p+len), writes its index (relative to p) as i32
  ;; to out, out+4, ...; returns how many. Quote state toggles on every '"' and carries over in $inq.
  (func (export "scan") (param $p i32) (param $len i32) (param $out i32) (result i32)
    (local $i i32) (local $n i32) (local $v v128) (local $qm i32) (local $lm i32)
    (local $x i32) (local $m i32) (local $state i32) (local $end16 i32) (local $c i32)
    ;; state as a 16-bit mask: 0 or 0xffff
    (local.set $state (i32.mul (global.get $inq) (i32.const 0xffff)))
    (local.set $end16 (i32.and (local.get $len) (i32.const -16)))
    (block $done16
      (loop $blocks
        (br_if $done16 (i32.ge_u (local.get $i) (local.get $end16)))
        (local.set $v (v128.load (i32.add (local.get $p) (local.get $i))))
        (local.set $qm (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))))
        (local.set $lm (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10)))))
        (if (i32.or (local.get $qm) (local.get $lm))
          (then
            ;; prefix xor: bit k = parity of quotes at positions <= k
            (local.set $x (local.get $qm))
            (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 1))))
            (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 2))))
            (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 4))))
            (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 8))))
            (local.set $x (i32.and (i32.xor (local.get $x) (local.get $state)) (i32.const 0xffff)))
            (local.set $m (i32.and (local.get $lm) (i32.xor (local.get $x) (i32.const 0xffff))))
            (block $emitted
              (loop $emit
                (br_if $emitted (i32.eqz (local.get $m)))
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2)))
                  (i32.add (local.get $i) (i32.ctz (local.get $m))))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
                (br $emit)))
            ;; new state: the parity at the last position, spread to 16 bits
            (local.set $state (i32.mul (i32.shr_u (local.get $x) (i32.const 15)) (i32.const 0xffff)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    ;; the tail, byte by byte
    (local.set $state (i32.and (local.get $state) (i32.const 1)))
    (block $done
      (loop $bytes
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $p) (local.get $i))))
        (if (i32.eq (local.get $c) (i32.const 34))
          (then (local.set $state (i32.xor (local.get $state) (i32.const 1))))
          (else
            (if (i32.and (i32.eq (local.get $c) (i32.const 10)) (i32.eqz (local.get $state)))
              (then
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $i))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $bytes)))
    (global.set $inq (local.get $state))
    (local.get $n))
)
