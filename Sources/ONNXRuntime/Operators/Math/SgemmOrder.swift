/// The order in which onnxruntime's MLAS SGEMM adds float32 products on x86-64, so that
/// MatMul (and MatMul fused with an Add) agree with it bit for bit. Every routine computes
/// `C[m×n] = A[m×k] · B[k×n]` (row-major), plus C's previous value when `accumulate`
/// (onnxruntime's `beta = 1`, its Gemm with a bias).
///
/// MLAS picks one of three kernels, each with its own order:
/// - `blocked`: the general kernel (AVX-512F or FMA3; both give the same bits). K is cut into
///   blocks; within one, each output keeps one running sum of fused multiply-adds in order of
///   k, started from zero; the block's sum is then added to C (stored, for the first block
///   without `accumulate`). A prepacked B (a constant) uses blocks of 256 whatever the
///   shape; an unpacked one 128 to 1024 depending on N and K (`unpackedBlock`).
/// - `rowKernel`: one row of A against an unpacked B (`SgemmKernelM1Avx`): products rounded
///   on their own, summed four k at a time, each group's sum added to C.
/// - `dotKernel`: an unpacked B of one column (`SgemmKernelM1TransposeBAvx`, A and B swapped):
///   eight lane sums over k modulo 8, reduced in an order that depends on the row's place in
///   its group of four, two or one rows.
enum SgemmOrder {
    /// MLAS_SGEMM_PACKED_STRIDEK: the K block of a prepacked B.
    static let packedBlock = 256

    /// The K block MLAS uses for an unpacked B: 128, grown while N is small (MlasSgemmOperation's
    /// StrideN/StrideK balancing, before any thread splits N).
    static func unpackedBlock(_ k: Int, _ n: Int) -> Int {
        var strideN = 128
        var strideK = 128
        if n >= k {
            while strideK / 2 >= k {
                strideN *= 2
                strideK /= 2
            }
        } else {
            while strideN > 16 && strideN / 2 >= n {
                strideK *= 2
                strideN /= 2
            }
        }
        return strideK
    }

    /// The general kernel: fused multiply-adds per output in order of k within blocks of
    /// `block`, each block's sum added to C.
    ///
    /// Swift compiles for baseline x86-64, where `Float.addingProduct` is a call to `fmaf`.
    /// The sums are kept in doubles instead: a float product is exact in a double, so
    /// rounding `a·b + sum` to a double and then to a float gives the fused result unless
    /// the double lands exactly halfway between two floats (or below the float normals);
    /// those rare steps are redone with `addingProduct`. The columns' sums are independent,
    /// so the loop over them overlaps their latencies.
    static func blocked(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, n: Int, block: Int, accumulate: Bool
    ) {
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { sums.deallocate() }
        for row in 0..<m {
            let aRow = a + row * k
            let cRow = c + row * n
            var start = 0
            while start < k {
                let end = min(k, start + block)
                sums.initialize(repeating: 0, count: n)
                for step in start..<end {
                    let factor = Double(aRow[step])
                    let bRow = b + step * n
                    for column in 0..<n {
                        let sum = factor * Double(bRow[column]) + sums[column]
                        sums[column] =
                            needsExactStep(sum)
                            ? Double(Float(sums[column]).addingProduct(aRow[step], bRow[column]))
                            : Double(Float(sum))
                    }
                }
                let adds = accumulate || start > 0
                for column in 0..<n {
                    let sum = Float(sums[column])
                    cRow[column] = adds ? sum + cRow[column] : sum
                }
                start = end
            }
        }
    }

    /// Whether rounding this double to a float could differ from rounding the exact value it
    /// was rounded from: a double exactly halfway between two floats (its low 29 significand
    /// bits 1 followed by zeros), or a nonzero one below the smallest normal float, whose
    /// halfway points lie elsewhere.
    @inline(__always)
    private static func needsExactStep(_ value: Double) -> Bool {
        let bits = value.bitPattern
        let magnitude = bits & 0x7FFF_FFFF_FFFF_FFFF
        // magnitude - 1 wraps around for zero, which is exact.
        return bits & 0x1FFF_FFFF == 0x1000_0000
            || magnitude &- 1 < 0x3810_0000_0000_0000 - 1
    }

    /// One row of A against an unpacked B: groups of four products (each rounded), summed in
    /// order, each group's sum added to C; then a group of two and a single product for the
    /// rest of K.
    static func rowKernel(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        k: Int, n: Int, accumulate: Bool
    ) {
        // The kernel masks C to +0 until its first group, so a first group adds +0.
        if !accumulate { c.update(repeating: 0, count: n) }
        var step = 0
        while step < k {
            let group = k - step >= 4 ? 4 : k - step >= 2 ? 2 : 1
            for column in 0..<n {
                var sum = a[step] * b[step * n + column]
                for offset in 1..<group {
                    sum += a[step + offset] * b[(step + offset) * n + column]
                }
                c[column] = sum + c[column]
            }
            step += group
        }
    }

    /// An unpacked B of one column: each row of A dotted with it in eight lanes (k modulo 8,
    /// each product rounded and added in order), the lanes reduced as the kernel does for the
    /// row's place: in a group of four rows, `((l0+l1)+l2)+l3` plus `((l4+l5)+l6)+l7`; in a
    /// group of two, `(l0+l2)+(l4+l6)` plus `(l1+l3)+(l5+l7)`; alone,
    /// `(l0+l1)+(l2+l3)` plus `(l4+l5)+(l6+l7)`. Groups of four come first.
    static func dotKernel(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, k: Int, accumulate: Bool
    ) {
        let fours = m - m % 4
        let twos = fours + (m % 4 >= 2 ? 2 : 0)
        for row in 0..<m {
            let aRow = a + row * k
            var lanes = SIMD8<Float>()
            var step = 0
            while step + 8 <= k {
                let x = UnsafeRawPointer(aRow + step).loadUnaligned(as: SIMD8<Float>.self)
                let y = UnsafeRawPointer(b + step).loadUnaligned(as: SIMD8<Float>.self)
                lanes += x * y
                step += 8
            }
            if step < k {
                // The kernel's masked loads read zeros past K: those lanes add 0 × 0.
                var x = SIMD8<Float>()
                var y = SIMD8<Float>()
                for lane in 0..<(k - step) {
                    x[lane] = aRow[step + lane]
                    y[lane] = b[step + lane]
                }
                lanes += x * y
            }
            let sum: Float
            if row < fours {
                sum =
                    (((lanes[0] + lanes[1]) + lanes[2]) + lanes[3])
                    + (((lanes[4] + lanes[5]) + lanes[6]) + lanes[7])
            } else if row < twos {
                sum =
                    ((lanes[0] + lanes[2]) + (lanes[4] + lanes[6]))
                    + ((lanes[1] + lanes[3]) + (lanes[5] + lanes[7]))
            } else {
                sum =
                    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
                    + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
            }
            c[row] = sum + (accumulate ? c[row] : 0)
        }
    }
}
