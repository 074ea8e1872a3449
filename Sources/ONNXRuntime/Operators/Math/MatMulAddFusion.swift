/// onnxruntime's MatMulAddFusion, which its default session options run at load: a float
/// MatMul whose only use is an Add becomes one Gemm whose bias is the Add's other input.
/// MLAS then starts each output from the bias and adds the K blocks to it, where MatMul then
/// Add would add the bias last; the two differ once K spans more than one block (256 for a
/// constant B), so this runtime fuses the same pairs.
///
/// The pairs are found at load from the graph alone; whether a pair really fuses is decided
/// per run from the shapes (`applies`), because this runtime does not infer shapes at load as
/// onnxruntime does: A and B matrices, the bias `[N]` or `[1, N]`.
struct MatMulAddFusion {
    /// For each fused MatMul (by node index), the name of the bias.
    private(set) var biasOf: [Int: String] = [:]
    /// For each fused Add (by node index), the position of the MatMul's output among its
    /// inputs.
    private(set) var productPositionOf: [Int: Int] = [:]

    /// Finds the pairs in `nodes` (in run order): a MatMul of the default domain whose output
    /// is read once, by an Add of opset 7 or later, and is not a graph output.
    init(nodes: [Node], graphOutputs: Set<String>, defaultOpset: Int) {
        guard defaultOpset >= 7 else { return }
        var reads: [String: [(node: Int, position: Int)]] = [:]
        for (index, node) in nodes.enumerated() {
            for (position, input) in node.inputs.enumerated() {
                reads[input, default: []].append((index, position))
            }
        }
        for (index, node) in nodes.enumerated()
        where node.canonicalDomain.isEmpty && node.opType == "MatMul" && node.outputs.count == 1 {
            let product = node.outputs[0]
            guard !graphOutputs.contains(product), let uses = reads[product], uses.count == 1
            else { continue }
            let add = nodes[uses[0].node]
            guard add.canonicalDomain.isEmpty, add.opType == "Add", add.inputs.count == 2 else {
                continue
            }
            biasOf[index] = add.inputs[1 - uses[0].position]
            productPositionOf[uses[0].node] = uses[0].position
        }
    }

    /// Whether onnxruntime's Gemm replaces MatMul then Add for these operands: float
    /// matrices A and B and a float bias of shape `[N]` or `[1, N]`.
    static func applies(a: Tensor, b: Tensor, bias: Tensor) -> Bool {
        guard a.shape.count == 2, b.shape.count == 2, case .float = a.storage else { return false }
        return isBias(bias, columns: b.shape[1])
    }

    /// Whether `bias` is what a fused Gemm takes for `columns` outputs a row: float, `[N]`
    /// or `[1, N]`.
    static func isBias(_ bias: Tensor, columns n: Int) -> Bool {
        guard case .float = bias.storage else { return false }
        return bias.shape == [n] || bias.shape == [1, n]
    }
}
