/// The order in which onnxruntime's MLAS DGEMM (its double MatMul on x86-64) adds products:
/// one running fused multiply-add per output in order of k within blocks of K, each block's
/// sum added to the output. onnxruntime packs no double B and has no one-row kernel for
/// doubles, so the block depends only on N and K.
enum DgemmOrder {
    /// MlasDgemmOperation's K stride: 128, doubled (and its N stride of 64 halved) while the
    /// N stride stays above 16 and at least twice N; when N ≥ K, one block.
    static func block(_ k: Int, _ n: Int) -> Int {
        if n >= k { return max(k, 1) }
        var strideN = 64
        var strideK = 128
        while strideN > 16 && strideN / 2 >= n {
            strideK *= 2
            strideN /= 2
        }
        return strideK
    }

    /// `C[m×n] = A[m×k] · B[k×n]`, row-major, in DGEMM's order.
    static func multiply(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
        var result = [Double](repeating: 0, count: m * n)
        guard m > 0, n > 0, k > 0 else { return result }
        let block = block(k, n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                result.withUnsafeMutableBufferPointer { c in
                    for row in 0..<m {
                        var start = 0
                        while start < k {
                            let end = min(k, start + block)
                            for column in 0..<n {
                                var sum: Double = 0
                                for step in start..<end {
                                    sum.addProduct(a[row * k + step], b[step * n + column])
                                }
                                c[row * n + column] = start == 0 ? sum : c[row * n + column] + sum
                            }
                            start = end
                        }
                    }
                }
            }
        }
        return result
    }
}
